from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "ipcity.regions"
    label = "regions"
    verbose_name = "行政区划"

    def ready(self) -> None:
        from ipcity.regions import queries  # noqa: F401  (registers the scope function)
