from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ipcity.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from ipcity.jobs import queries, runner  # noqa: F401  (runner declares its rules)
