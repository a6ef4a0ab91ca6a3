from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "ipcity.inspections"
    label = "inspections"
    verbose_name = "双随机、一公开"

    def ready(self) -> None:
        # rules, scopes, reminders, and where the evidence log finds the published files of a draw's entries
        from ipcity.inspections import evidence_files, policy, queries, reminders  # noqa: F401
