"""Export a policy as fideslang declarations (issue 3, item 9), so other privacy tools can read it.

One dataset holds a collection per collected record class, labelled with its data categories.
The provider is a system with one privacy declaration per purpose; each recipient is a system of
its own whose declarations are the purposes it receives data for, limited to the classes it
receives. Built with fideslang's own models, so an invalid key fails here, not in the other tool.
"""

from __future__ import annotations

import re
from typing import Any

from fideslang.models import Dataset, DatasetCollection, PrivacyDeclaration, System, Taxonomy

from custodian.policy.document import PolicyDocument

DATA_SUBJECT = "customer"


def fides_key(text: str) -> str:
    """A fides key: letters, digits and underscores."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_").lower() or "policy"


def export_fideslang(document: PolicyDocument) -> dict[str, Any]:
    """The policy as a fideslang taxonomy document (`dataset:` and `system:` lists)."""
    provider_key = fides_key(document.provider.name)
    dataset_key = f"{provider_key}_records"
    dataset = Dataset(
        fides_key=dataset_key, name=f"{document.provider.name} subscriber records",
        collections=[
            DatasetCollection(name=fides_key(name), description=use.description, data_categories=use.categories,
                              fields=[])
            for name, use in sorted(document.record_classes.items())
        ],
    )
    systems = [System(
        fides_key=provider_key, name=document.provider.name, system_type="Service",
        dataset_references=[dataset_key],
        privacy_declarations=[_declaration(document, name, purpose.classes, dataset_key)
                              for name, purpose in sorted(document.purposes.items())],
    )]
    for name, recipient in sorted(document.recipients.items()):
        systems.append(System(
            fides_key=f"{provider_key}_{fides_key(name)}", name=recipient.name, system_type="Third party",
            description=f"{recipient.kind}: {recipient.description}".rstrip(": "),
            privacy_declarations=[
                _declaration(document, purpose, _shared(recipient.classes, document.purposes[purpose].classes), None)
                for purpose in sorted(recipient.purposes)
            ],
        ))
    taxonomy = Taxonomy(dataset=[dataset], system=systems)
    return taxonomy.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def _shared(received: list[str], used: list[str]) -> list[str]:
    return sorted(set(received) & set(used))


def _declaration(document: PolicyDocument, purpose: str, classes: list[str], dataset_key: str | None
                 ) -> PrivacyDeclaration:
    categories = sorted({category for name in classes for category in document.record_classes[name].categories})
    return PrivacyDeclaration(
        name=purpose, data_use=document.purposes[purpose].data_use, data_categories=categories,
        data_subjects=[DATA_SUBJECT], dataset_references=[dataset_key] if dataset_key else None,
    )
