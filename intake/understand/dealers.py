"""Stage 2, step 4: who sent it — the dealer directory and matching a sender to a dealer.

The directory comes from a YAML file the coordinator keeps (``dealers.yaml``, read by
``dealers_file``)::

    dealers:
      - key: hollis                      # short, unique, never changes
        name: Hollis Blinds Ltd
        area: uk                         # uk or export
        country: GB                      # ISO 3166 code
        owner: rachel@example.co.uk      # the coordinator who looks after them
        emails: [dave@hollisblinds.co.uk]
        domains: [hollisblinds.co.uk]    # anyone at this domain (and its subdomains)
        phones: ["01642 555 0101"]       # any common format; stored as E.164

An exact address beats a domain. The matching lives apart from the file's validation so
that a parse worker, which only matches, does not load the validator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.message import DealerFacts
from intake.phones import normalize_phone


@dataclass(frozen=True)
class Dealer:
    key: str
    name: str
    area: str
    country: str
    owner: str
    emails: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    def facts(self) -> DealerFacts:
        return DealerFacts(self.key, self.name, self.area, self.country.upper(), self.owner)


@dataclass
class Directory:
    dealers: list[Dealer] = field(default_factory=list)
    by_email: dict[str, Dealer] = field(default_factory=dict)
    by_domain: dict[str, Dealer] = field(default_factory=dict)
    by_phone: dict[str, Dealer] = field(default_factory=dict)

    def identify_email(self, address: str) -> Dealer | None:
        address = address.strip().lower()
        if not address:
            return None
        found = self.by_email.get(address)
        if found:
            return found
        domain = address.rpartition("@")[2]
        while domain and "." in domain:
            found = self.by_domain.get(domain)
            if found:
                return found
            domain = domain.partition(".")[2]
        return None

    def identify_phone(self, number: str) -> Dealer | None:
        e164 = normalize_phone(number)
        return self.by_phone.get(e164) if e164 else None
