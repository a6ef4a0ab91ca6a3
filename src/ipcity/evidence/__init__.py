"""存证: the evidence log (RFC 9162 Merkle tree; `merkle` is its dependency-free core)."""
