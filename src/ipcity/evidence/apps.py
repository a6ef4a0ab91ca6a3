from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "ipcity.evidence"
    label = "evidence"
    verbose_name = "存证"

    def ready(self) -> None:
        # scopes, the background anchoring of the audit chain and the interval checkpoints, the protection sink
        from ipcity.evidence import queries, sweeps  # noqa: F401
        from ipcity.evidence.sinks import protection_sink
        from ipcity.protection import evidence_seam

        evidence_seam.register_sink(protection_sink)
