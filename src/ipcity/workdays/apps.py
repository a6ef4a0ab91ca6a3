from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "ipcity.workdays"
    label = "workdays"
    verbose_name = "工作日与期限"

    def ready(self) -> None:
        from ipcity.workdays import calendar, jobs, queries  # noqa: F401  (calendar declares its rules)
