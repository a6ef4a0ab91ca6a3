from django.apps import AppConfig


class AbnormalConfig(AppConfig):
    name = "ipcity.abnormal"
    label = "abnormal"
    verbose_name = "非正常专利申请筛查"

    def ready(self) -> None:
        from ipcity.abnormal import actions, jobs, queries, rules  # noqa: F401  (rules, job kind, scopes)
