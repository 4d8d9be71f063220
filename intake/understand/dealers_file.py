"""The dealer directory file: validated once, at load, into a ``dealers.Directory``.

Public mail domains (gmail.com, ...) cannot be a dealer's domain, since they would claim
every private sender; list those addresses one by one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from intake.phones import normalize_phone
from intake.understand.dealers import Dealer, Directory
from intake.yamlconf import ConfigError, load, validate

PUBLIC_DOMAINS = frozenset(
    "gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com live.co.uk msn.com "
    "yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.es yahoo.it icloud.com me.com mac.com aol.com "
    "gmx.de gmx.net gmx.com web.de t-online.de orange.fr wanadoo.fr free.fr laposte.net "
    "libero.it virgilio.it tiscali.it wp.pl o2.pl onet.pl interia.pl proton.me protonmail.com "
    "btinternet.com sky.com virginmedia.com talktalk.net ziggo.nl kpnmail.nl telefonica.net".split()
)


class DealerSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    name: str
    area: Literal["uk", "export"] = "uk"
    country: str = Field("GB", pattern=r"^[A-Za-z]{2}$")
    owner: str = ""
    emails: list[str] = []
    domains: list[str] = []
    phones: list[str] = []

    @field_validator("emails")
    @classmethod
    def _emails(cls, v: list[str]) -> list[str]:
        for e in v:
            if "@" not in e or " " in e.strip():
                raise ValueError(f"{e!r} is not an email address")
        return [e.strip().lower() for e in v]

    @field_validator("domains")
    @classmethod
    def _domains(cls, v: list[str]) -> list[str]:
        out = [d.strip().lower().lstrip("@") for d in v]
        for d in out:
            if d in PUBLIC_DOMAINS:
                raise ValueError(f"{d} is a public mail domain; list the dealer's addresses instead")
            if "." not in d:
                raise ValueError(f"{d!r} is not a domain")
        return out


class DirectoryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dealers: list[DealerSpec] = []


def load_directory(path: str | Path | None) -> Directory:
    """Load the dealer directory; no path or a missing optional file gives an empty one."""
    if path is None:
        return Directory()
    doc = load(path)
    spec = validate(doc, DirectoryFile, doc.data if doc.data is not None else {})
    directory = Directory()
    problems = []
    seen_keys: set[str] = set()
    for i, d in enumerate(spec.dealers):
        if d.key in seen_keys:
            problems.append(doc.problem(("dealers", i, "key"), f"duplicate dealer key {d.key!r}"))
            continue
        seen_keys.add(d.key)
        phones = []
        for j, p in enumerate(d.phones):
            e164 = normalize_phone(p, d.country)
            if e164 is None:
                problems.append(doc.problem(("dealers", i, "phones", j), f"{p!r} is not a phone number"))
            else:
                phones.append(e164)
        dealer = Dealer(d.key, d.name, d.area, d.country.upper(), d.owner, tuple(d.emails), tuple(d.domains),
                        tuple(phones))
        directory.dealers.append(dealer)
        for kind, values, index in (("emails", dealer.emails, directory.by_email),
                                    ("domains", dealer.domains, directory.by_domain),
                                    ("phones", dealer.phones, directory.by_phone)):
            for j, value in enumerate(values):
                other = index.get(value)
                if other is not None and other.key != dealer.key:
                    problems.append(doc.problem(("dealers", i, kind, j),
                                                f"{value} is already listed for dealer {other.key!r}"))
                index[value] = dealer
    if problems:
        raise ConfigError(problems)
    return directory
