"""Envelope encryption: master key -> per-account data keys -> AES-256-GCM fields and blobs."""
