from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "ipcity.credit"
    label = "credit"
    verbose_name = "信用监管"

    def ready(self) -> None:
        # scopes, rules (policy, scoring), the background collection sweep and the demo step
        from ipcity.credit import collect, demo, policy, queries, scoring  # noqa: F401
