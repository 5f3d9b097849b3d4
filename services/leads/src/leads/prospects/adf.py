"""ADF (Auto-lead Data Format) XML as portals send it: one or more ``<prospect>`` elements, each with
a customer contact and the vehicle of interest. Parsed with defusedxml: entity expansion, external
entities and DTDs are refused (billion laughs, XXE)."""

from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring


class AdfError(ValueError):
    def __init__(self, reason: str, field: str = "body") -> None:
        super().__init__(reason)
        self.field = field


@dataclass(frozen=True)
class Prospect:
    name: str
    phone: str
    model: str | None
    provider: str | None
    comments: str | None


def _text(node: Element | None) -> str | None:
    if node is None or node.text is None:
        return None
    return " ".join(node.text.split()) or None


def parse(document: bytes) -> list[Prospect]:
    try:
        root = fromstring(document, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException) as exc:
        raise AdfError(f"not well-formed or unsafe XML: {exc}") from exc
    if root.tag.lower() != "adf":
        raise AdfError(f"the root element is <{root.tag}>, not <adf>")
    prospects = root.findall("prospect")
    if not prospects:
        raise AdfError("no <prospect> element", "prospect")
    out = []
    for n, prospect in enumerate(prospects):
        contact = prospect.find("customer/contact")
        if contact is None:
            raise AdfError("no <customer><contact>", f"prospect.{n}.customer.contact")
        full = _text(contact.find("name[@part='full']"))
        parts = [_text(contact.find(f"name[@part='{p}']")) for p in ("last", "first")]
        name = full or "".join(p for p in parts if p) or _text(contact.find("name"))
        if not name:
            raise AdfError("the contact has no name", f"prospect.{n}.customer.contact.name")
        phone = _text(contact.find("phone"))
        if not phone:
            raise AdfError("the contact has no phone", f"prospect.{n}.customer.contact.phone")
        vehicle = prospect.find("vehicle")
        model = (
            " ".join(p for p in (_text(vehicle.find("make")), _text(vehicle.find("model"))) if p)
            if vehicle is not None
            else None
        )
        out.append(
            Prospect(
                name=name,
                phone=phone,
                model=model or None,
                provider=_text(prospect.find("provider/name")),
                comments=_text(prospect.find("customer/comments")),
            )
        )
    return out
