from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ipcity.plans"
    label = "plans"
    verbose_name = "规划与指标"

    def ready(self) -> None:
        from ipcity.plans import queries, reminders  # noqa: F401  (register scope functions and reminders)
