from django.apps import AppConfig


class IpdataConfig(AppConfig):
    name = "ipcity.ipdata"
    label = "ipdata"
    verbose_name = "数据中心"

    def ready(self) -> None:
        from ipcity.ipdata import attribution, jobs, queries  # noqa: F401  (rules, scope functions, job kinds)
