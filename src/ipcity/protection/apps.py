from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "ipcity.protection"
    label = "protection"
    verbose_name = "知识产权保护"

    def ready(self) -> None:
        # rules, scopes, reminders, the background registration of accepted submissions, the import job and the
        # personal-data mark on its batches
        from ipcity.protection import (  # noqa: F401
            dashboard,
            importing,
            jobs,
            queries,
            registration,
            reminders,
        )
