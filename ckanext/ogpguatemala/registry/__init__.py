"""The OGP action-plan registry (see loader.py); data files live here too."""
from .loader import (  # noqa: F401
    BUILTIN_FILES,
    Commitment,
    Institution,
    Milestone,
    Plan,
    Registry,
    RegistryError,
    configure,
    get_registry,
    load,
    text,
)
