"""The fulfillers of the dsr package, registered with dsr/fulfilment.py in one call at start-up. Each request
type's fulfiller lives in its own module; this one only wires them."""

from __future__ import annotations

from custodian.dsr import fulfilment


def register_all() -> None:
    """Register every fulfiller the dsr package has."""
    from custodian.dsr.shine_the_light import REQUEST_TYPE, fulfil_shine_the_light

    fulfilment.register(REQUEST_TYPE, fulfil_shine_the_light)
