from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ipcity.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from ipcity.core import crypto, notify, queries  # noqa: F401  (registers scope functions, job kinds)
        from ipcity.demo import rules  # noqa: F401  (declares the demo rules for the rule admin)

        # GB/T 32905 self-test: refuse to start with a broken SM3 rather than write unverifiable hashes.
        crypto.sm3_self_test()
