from django.apps import AppConfig


class IpdataConfig(AppConfig):
    name = "ipcity.ipdata"
    label = "ipdata"
    verbose_name = "数据中心"

    def ready(self) -> None:
        from ipcity.ipdata import jobs, queries  # noqa: F401  (scope functions, job kinds)
