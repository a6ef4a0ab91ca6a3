from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "ipcity.protection"
    label = "protection"
    verbose_name = "知识产权保护"

    def ready(self) -> None:
        # rules, scopes, reminders, the background registration of accepted submissions
        from ipcity.protection import dashboard, queries, registration, reminders  # noqa: F401
