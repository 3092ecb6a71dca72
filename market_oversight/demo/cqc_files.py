"""Write the demo register as a folder of saved CQC API (v1) responses.

Laid out and keyed like the real Oldham responses in realdata/cqc_api_json_oldham_2025-03:
`locations.json` (one listing page), `location_details/location_<id>.json`, `providers.json`,
`provider_details/provider_<id>.json`. Records carry the keys the real ones use (careHome 'Y'/'N',
gacServiceTypes, inspectionCategories, registration dates and status, numberOfBeds, onspd ICB and
coordinates, currentRatings / historicRatings / reports, registeredManagerAbsentDate...).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from market_oversight.demo.names import Names
from market_oversight.demo.scales import AS_OF, month_start
from market_oversight.demo.simulate import KQ_NAMES, RATING_LABELS, Simulation
from market_oversight.demo.world import CARE_HOME, HOME_CARE

_S1 = {"code": "S1", "name": "Residential social care", "primary": "true"}
_S2 = {"code": "S2", "name": "Community based adult social care services", "primary": "true"}
_NURSING = {"description": "Care home service with nursing", "name": "Nursing homes"}
_RESIDENTIAL = {"description": "Care home service without nursing", "name": "Residential homes"}
_DOMICILIARY = {"description": "Domiciliary care service", "name": "Homecare agencies"}
_OTHER = ({"description": "Supported living service", "name": "Supported living"},
          {"description": "Extra Care housing services", "name": "Supported housing"})
_RA_ACCOMMODATION = "Accommodation for persons who require nursing or personal care"


def _iso(month: int, day: int) -> str:
    return month_start(int(month)).replace(day=int(day)).isoformat()


def _link_id(seed: int, loc: int, month: int) -> str:
    h = hashlib.sha256(f"demo-report:{seed}:{loc}:{month}".encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


class RegisterWriter:
    """Builds each record from the simulation; one instance per demo build."""

    def __init__(self, sim: Simulation, names: Names) -> None:
        self.sim, self.w, self.names = sim, sim.world, names
        self.ids = self.w.location_ids()
        self.provider_ids = self.w.provider_ids()
        r = sim.reports
        order = np.lexsort((r["month"], r["loc"]))
        self.report_rows = {k: v[order] for k, v in r.items()}
        self.report_start = np.searchsorted(self.report_rows["loc"], np.arange(self.w.n + 1))
        ev = sim.events
        self.manager_since = self._last_event_month(ev, "manager_change")
        self.closure_day = self._event_day(ev, "closure")
        self.registration_day = np.random.default_rng([self.w.seed, 5]).integers(1, 29, self.w.n)

    def _event_day(self, ev, name: str) -> np.ndarray:
        from market_oversight.demo.simulate import EVENT_TYPES

        day = np.ones(self.w.n, np.int64)
        mask = ev["type"] == EVENT_TYPES.index(name)
        day[ev["loc"][mask]] = ev["day"][mask]
        return day

    def _last_event_month(self, ev, name: str) -> dict[int, tuple[int, int]]:
        from market_oversight.demo.simulate import EVENT_TYPES

        mask = ev["type"] == EVENT_TYPES.index(name)
        return {int(l): (int(m), int(d)) for l, m, d in zip(ev["loc"][mask], ev["month"][mask], ev["day"][mask])}

    # --- ratings ----------------------------------------------------------------------------

    def _reports(self, i: int) -> list[dict]:
        """This location's published reports, oldest first, as plain dicts."""
        rows = self.report_rows
        out = []
        for j in range(self.report_start[i], self.report_start[i + 1]):
            month, day = int(rows["month"][j]), int(rows["day"][j])
            if month_start(month).replace(day=day) > AS_OF:
                continue
            out.append({"date": _iso(month, day), "visit": _iso(rows["visit_month"][j], 1 + day // 2),
                        "link": _link_id(self.w.seed, i, month), "overall": int(rows["overall"][j]),
                        "kq": [int(x) for x in rows["kq"][j]]})
        return out

    @staticmethod
    def _current(report: dict) -> dict:
        kqs = [{"name": n, "rating": RATING_LABELS[r], "reportDate": report["date"],
                "reportLinkId": report["link"]} for n, r in zip(KQ_NAMES, report["kq"])]
        return {"overall": {"keyQuestionRatings": kqs, "rating": RATING_LABELS[report["overall"]],
                            "reportDate": report["date"], "reportLinkId": report["link"]},
                "reportDate": report["date"]}

    @staticmethod
    def _historic(report: dict) -> dict:
        kqs = [{"name": n, "rating": RATING_LABELS[r]} for n, r in zip(KQ_NAMES, report["kq"])]
        return {"overall": {"keyQuestionRatings": kqs, "rating": RATING_LABELS[report["overall"]]},
                "reportDate": report["date"], "reportLinkId": report["link"]}

    # --- records ----------------------------------------------------------------------------

    def location(self, i: int) -> dict:
        w, n = self.w, self.names
        kind, closed = int(w.kind[i]), int(self.sim.closed_month[i])
        council = int(w.council[i])
        icb = int(w.icb[i])
        reports = self._reports(i)
        manager_absent = bool(self.sim.manager[-1, i]) and closed > 10**5
        contacts = [] if manager_absent else [{
            "personFamilyName": n.family[i], "personGivenName": n.given[i],
            "personRoles": ["Registered Manager"], "personTitle": n.title[i]}]
        record: dict = {
            "careHome": "Y" if kind == CARE_HOME else "N",
            "constituency": f"{w.councils.name[council]} {'North' if icb == 0 else 'South'}",
            "dormancy": "N",
            "gacServiceTypes": self._service_types(i),
            "inspectionAreas": [],
            "inspectionCategories": [_S1 if kind == CARE_HOME else _S2],
            "inspectionDirectorate": "Adult social care",
            "localAuthority": str(w.councils.name[council]),
            "locationId": str(self.ids[i]),
            "locationTypes": [],
            "mainPhoneNumber": n.phone[i],
            "name": n.location[i],
            "numberOfBeds": int(w.beds[i]) if kind == CARE_HOME else 0,
            "onspdCcgCode": f"E38000{900 + council % 100:03d}",
            "onspdCcgName": f"NHS {w.councils.name[council]} CCG",
            "onspdIcbCode": str(w.councils.icb_code[council][icb]),
            "onspdIcbName": str(w.councils.icb_name[council][icb]),
            "onspdLatitude": round(float(w.lat[i]), 7),
            "onspdLongitude": round(float(w.lon[i]), 7),
            "organisationType": "Location",
            "postalAddressLine1": n.street[i],
            "postalAddressTownCity": str(w.councils.name[council]),
            "postalCode": n.postcode[i],
            "providerId": str(self.provider_ids[w.provider_index[i]]),
            "region": str(w.councils.region[council]),
            "registrationDate": _iso(w.registered_month[i], self.registration_day[i]),
            "registrationStatus": "Registered" if closed > 10**5 else "Deregistered",
            "regulatedActivities": [{
                "code": "RA2" if kind == CARE_HOME else "RA1",
                "contacts": contacts,
                "name": _RA_ACCOMMODATION if kind == CARE_HOME else "Personal care"}],
            "relationships": [],
            "reports": [{"firstVisitDate": r["visit"], "linkId": r["link"], "reportDate": r["date"],
                         "reportType": "Location", "reportUri": f"/reports/{r['link']}"}
                        for r in reversed(reports)],
            "specialisms": self._specialisms(i),
            "type": "Social Care Org",
        }
        if closed <= 10**5:
            record["deregistrationDate"] = _iso(closed, self.closure_day[i])
        if manager_absent:
            month, day = self.manager_since.get(i, (int(self.sim.first_month), 1))
            record["registeredManagerAbsentDate"] = _iso(month, day)
        if reports:
            record["currentRatings"] = self._current(reports[-1])
            record["lastReport"] = {"publicationDate": reports[-1]["date"]}
            record["lastInspection"] = {"date": reports[-1]["visit"]}
        if len(reports) > 1:
            record["historicRatings"] = [self._historic(r) for r in reversed(reports[:-1])]
        return dict(sorted(record.items()))  # the API returns location keys in this order

    def _service_types(self, i: int) -> list[dict]:
        kind = int(self.w.kind[i])
        if kind == CARE_HOME:
            return [_NURSING if self.w.nursing[i] else _RESIDENTIAL]
        if kind == HOME_CARE:
            return [_DOMICILIARY]
        return [_OTHER[i % 2]]

    def _specialisms(self, i: int) -> list[dict]:
        if self.w.learning_disability[i]:
            names = ["Caring for adults under 65 yrs", "Learning disabilities"]
        else:
            names = ["Caring for adults over 65 yrs"]
        if self.w.dementia[i]:
            names.append("Dementia")
        names.append("Physical disabilities")
        return [{"name": s} for s in names]

    def provider(self, p: int, members: np.ndarray) -> dict:
        w, n = self.w, self.names
        first = int(members[0])
        council = int(w.council[first])
        registered = bool((self.sim.closed_month[members] > 10**5).any())
        record = {
            "providerId": str(self.provider_ids[p]),
            "locationIds": [str(self.ids[m]) for m in members],
            "organisationType": "Provider",
            "ownershipType": str(w.provider_kind[p]),
            "type": "Social Care Org",
            "name": n.provider[p],
            "registrationStatus": "Registered" if registered else "Deregistered",
            "registrationDate": _iso(int(w.registered_month[members].min()) - 1, 1),
            "postalAddressLine1": n.street[first],
            "postalAddressTownCity": str(w.councils.name[council]),
            "region": str(w.councils.region[council]),
            "postalCode": n.postcode[first],
            "onspdIcbCode": str(w.councils.icb_code[council][int(w.icb[first])]),
            "onspdIcbName": str(w.councils.icb_name[council][int(w.icb[first])]),
            "inspectionDirectorate": "Adult social care",
            "localAuthority": str(w.councils.name[council]),
            "contacts": [], "relationships": [], "regulatedActivities": [],
            "inspectionCategories": [_S1 if int(w.kind[first]) == CARE_HOME else _S2],
            "inspectionAreas": [],
        }
        if w.provider_kind[p] == "Organisation":
            record["companiesHouseNumber"] = f"{(p * 7919 + w.seed * 104729) % 10**8:08d}"
        if not registered:
            last = int(self.sim.closed_month[members].max())
            record["deregistrationDate"] = _iso(last, 28)
        return record


def _dump(data: dict, path: Path) -> None:
    path.write_text(json.dumps(data, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")


def _listing(items: list[dict], key: str, what: str) -> dict:
    per_page = max(1000, len(items))
    uri = f"/{what}?page=1&perPage={per_page}"
    return {"total": len(items), "firstPageUri": uri, "page": 1, "previousPageUri": None,
            "lastPageUri": uri, "nextPageUri": None, "perPage": per_page, "totalPages": 1,
            key: items}


def write_register(sim: Simulation, names: Names, folder: Path) -> Path:
    """Write the saved-API folder for every location ever registered up to the snapshot."""
    writer = RegisterWriter(sim, names)
    w = sim.world
    seen = np.flatnonzero(w.registered_month <= int(sim.first_month) + sim.months - 1)
    (folder / "location_details").mkdir(parents=True, exist_ok=True)
    (folder / "provider_details").mkdir(parents=True, exist_ok=True)
    listing = []
    for i in seen:
        record = writer.location(int(i))
        _dump(record, folder / "location_details" / f"location_{record['locationId']}.json")
        listing.append({"locationId": record["locationId"], "locationName": record["name"],
                        "postalCode": record["postalCode"]})
    _dump(_listing(listing, "locations", "locations"), folder / "locations.json")
    order = np.argsort(w.provider_index[seen], kind="stable")
    by_provider = seen[order]
    bounds = np.searchsorted(w.provider_index[by_provider], np.arange(w.provider_count + 1))
    providers = []
    for p in range(w.provider_count):
        members = by_provider[bounds[p]:bounds[p + 1]]
        if not len(members):
            continue
        record = writer.provider(p, members)
        _dump(record, folder / "provider_details" / f"provider_{record['providerId']}.json")
        providers.append({"providerId": record["providerId"], "providerName": record["name"]})
    _dump(_listing(providers, "providers", "providers"), folder / "providers.json")
    return folder
