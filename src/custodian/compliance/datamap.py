"""The data map (issue 18 §3): record classes -> purposes -> recipients of the policy in force, as an inline SVG.

Pure. An edge class -> purpose is the purpose's `classes` (the policy lets that purpose use that class); an edge
purpose -> recipient is the recipient's `purposes` (it receives data for that purpose). Every node and edge is a
link to the rule behind it (`#purpose-KEY`, `#recipient-KEY`, `#class-KEY` on the page that also lists the rules
as text, the picture's text alternative). The picture is a labelled group, not role="img": an image's children
are hidden from assistive technology, and these links must stay reachable (axe: nested-interactive).
No scripts, no external resources.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from custodian.policy.document import PolicyDocument
from custodian.policy.vocabulary import class_name

WIDTH, COLUMN, NODE_W, NODE_H, STEP, TOP = 960, 320, 280, 24, 30, 44
COLUMNS = (("class", "Record classes"), ("purpose", "Purposes"), ("recipient", "Recipients"))
MAX_LABEL = 38


@dataclass(frozen=True)
class Node:
    """One box: a record class, a purpose or a recipient."""

    kind: str
    key: str
    label: str

    @property
    def anchor(self) -> str:
        """The id of the rule this node stands for on the data-map page."""
        return f"{self.kind}-{self.key}"


@dataclass(frozen=True)
class Edge:
    """class -> purpose, or purpose -> recipient; links to the rule that makes it (the purpose's or recipient's)."""

    source: Node
    target: Node

    @property
    def rule(self) -> Node:
        """The node whose rule states this edge: the purpose for class -> purpose, else the recipient."""
        return self.target


@dataclass(frozen=True)
class DataMap:
    """The nodes by column, and the edges."""

    classes: tuple[Node, ...]
    purposes: tuple[Node, ...]
    recipients: tuple[Node, ...]
    edges: tuple[Edge, ...]


def purpose_label(key: str) -> str:
    """'provide_service' -> 'Provide service'."""
    return key.replace("_", " ").capitalize()


def data_map(policy: PolicyDocument) -> DataMap:
    """The map of `policy`: every record class, purpose and recipient, and the edges the rules state."""
    classes = {key: Node("class", key, class_name(key)) for key in sorted(policy.record_classes)}
    purposes = {key: Node("purpose", key, purpose_label(key)) for key in policy.purposes}
    recipients = {key: Node("recipient", key, r.name) for key, r in policy.recipients.items()}
    edges = [Edge(classes[c], purposes[key]) for key, p in policy.purposes.items() for c in p.classes if c in classes]
    edges += [Edge(purposes[p], recipients[key]) for key, r in policy.recipients.items() for p in r.purposes
              if p in purposes]
    return DataMap(tuple(classes.values()), tuple(purposes.values()), tuple(recipients.values()), tuple(edges))


def data_map_svg(policy: PolicyDocument, *, rule_page: str = "") -> str:
    """The map as an inline SVG; links point at `rule_page` + "#anchor" (default: this page)."""
    found = data_map(policy)
    columns = (found.classes, found.purposes, found.recipients)
    where = {node: (index, row) for index, nodes in enumerate(columns) for row, node in enumerate(nodes)}
    height = TOP + STEP * max(len(nodes) for nodes in columns) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="data-map" role="group" viewBox="0 0 {WIDTH} {height}" '
             f'width="100%" aria-labelledby="data-map-title data-map-desc">',
             '<title id="data-map-title">Data map: record classes, the purposes that use them, and the recipients '
             'that receive them</title>',
             f'<desc id="data-map-desc">{len(found.classes)} record classes, {len(found.purposes)} purposes, '
             f'{len(found.recipients)} recipients and {len(found.edges)} links between them. The same map is listed '
             'as text beside the picture.</desc>']
    parts += [f'<text x="{index * COLUMN + 10}" y="24" class="data-map__head">{title}</text>'
              for index, (_, title) in enumerate(COLUMNS)]
    for edge in found.edges:
        (sx, sy), (tx, ty) = _point(where[edge.source], right=True), _point(where[edge.target], right=False)
        parts.append(f'<a href="{rule_page}#{edge.rule.anchor}"><title>{escape(edge.source.label)} to '
                     f'{escape(edge.target.label)}</title><path class="data-map__edge" d="M{sx} {sy} C{sx + 30} {sy} '
                     f'{tx - 30} {ty} {tx} {ty}"/></a>')
    for node, (index, row) in where.items():
        x, y = index * COLUMN + 10, TOP + row * STEP
        label = node.label if len(node.label) <= MAX_LABEL else node.label[:MAX_LABEL - 1] + "…"
        parts.append(f'<a href="{rule_page}#{node.anchor}"><title>{escape(node.label)}</title>'
                     f'<rect class="data-map__node data-map__node--{node.kind}" x="{x}" y="{y}" width="{NODE_W}" '
                     f'height="{NODE_H}" rx="4"/><text x="{x + 8}" y="{y + 16}">{escape(label)}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def _point(place: tuple[int, int], *, right: bool) -> tuple[int, int]:
    index, row = place
    return index * COLUMN + 10 + (NODE_W if right else 0), TOP + row * STEP + NODE_H // 2
