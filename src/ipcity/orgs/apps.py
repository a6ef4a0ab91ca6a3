from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "ipcity.orgs"
    label = "orgs"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from ipcity.orgs import queries  # noqa: F401
