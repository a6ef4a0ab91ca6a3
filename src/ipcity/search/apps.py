from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "ipcity.search"
    label = "search"
    verbose_name = "专利检索"

    def ready(self) -> None:
        from ipcity.search import jobs, queries  # noqa: F401  (scope functions, job kinds)
