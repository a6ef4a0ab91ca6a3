"""双随机、一公开: random inspections (`draw` is the replayable draw, without Django)."""
