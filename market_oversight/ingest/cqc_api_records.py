"""CQC API (v1) records -> staged rows (canonical field names, values as read)."""

from __future__ import annotations

from typing import Any

from market_oversight.ingest.cqc_rows import RawRating, StagedLocation

# Reports are addressed by the API path it gives (`reports[].reportUri`), made absolute against the
# public API so that links from a folder and from a URL import are the same.
PUBLIC_API = "https://api.service.cqc.org.uk/public/v1"


def _report_links(record: dict[str, Any]) -> dict[str, str]:
    links = {}
    for report in record.get("reports") or []:
        if isinstance(report, dict) and report.get("linkId"):
            uri = report.get("reportUri") or f"/reports/{report['linkId']}"
            links[str(report["linkId"])] = uri if uri.startswith("http") else PUBLIC_API + uri
    return links


def _link(link_id: Any, links: dict[str, str]) -> str | None:
    if not link_id:
        return None
    return links.get(str(link_id), f"{PUBLIC_API}/reports/{link_id}")


def _ratings_of(block: dict[str, Any], date: Any, link_id: Any, links: dict[str, str],
                where: str) -> list[RawRating]:
    """The overall rating of one report block and its key-question ratings (each may carry its
    own, earlier, report date and link when that key question was last rated at another report)."""
    overall = block.get("overall")
    if not isinstance(overall, dict):
        return []  # service/population-group ratings only (GP and hospital reports): not kept
    date = overall.get("reportDate") or date
    link_id = overall.get("reportLinkId") or link_id
    out = [RawRating("overall", overall.get("rating"), date, _link(link_id, links),
                     f"{where}.overall.rating")]
    for n, kq in enumerate(overall.get("keyQuestionRatings") or []):
        out.append(RawRating(
            kq.get("name") or "", kq.get("rating"), kq.get("reportDate") or date,
            _link(kq.get("reportLinkId") or link_id, links),
            f"{where}.overall.keyQuestionRatings[{n}].rating",
        ))
    return out


def api_ratings(record: dict[str, Any]) -> list[RawRating]:
    """Current ratings first (they win a tie on report date and key question), then the history."""
    links = _report_links(record)
    current = record.get("currentRatings") or {}
    out = _ratings_of(current, current.get("reportDate"), None, links, "currentRatings")
    for n, entry in enumerate(record.get("historicRatings") or []):
        out += _ratings_of(entry, entry.get("reportDate"), entry.get("reportLinkId"), links,
                           f"historicRatings[{n}]")
    return out


def _registered_manager(record: dict[str, Any]) -> bool | None:
    """False when CQC records the manager absent; True when a Registered Manager contact is named;
    unknown otherwise (GP practices and hospitals often name none)."""
    if record.get("registeredManagerAbsentDate"):
        return False
    for activity in record.get("regulatedActivities") or []:
        for contact in activity.get("contacts") or []:
            if "Registered Manager" in (contact.get("personRoles") or []):
                return True
    return None


def _primary_category(record: dict[str, Any]) -> str | None:
    categories = [c for c in record.get("inspectionCategories") or [] if isinstance(c, dict)]
    primary = [c for c in categories if str(c.get("primary", "")).lower() == "true"]
    chosen = (primary or categories or [{}])[0]
    return chosen.get("name")


def staged_from_api(record: dict[str, Any], row_number: int, source: str | None = None) -> StagedLocation:
    fields = {
        "location_id": record.get("locationId"),
        "provider_id": record.get("providerId"),
        "location_name": record.get("name"),
        "care_home": record.get("careHome"),
        "beds": record.get("numberOfBeds"),
        "local_authority": record.get("localAuthority"),
        "region": record.get("region"),
        "icb_code": record.get("onspdIcbCode"),
        "icb_name": record.get("onspdIcbName"),
        "postcode": record.get("postalCode"),
        "latitude": record.get("onspdLatitude"),
        "longitude": record.get("onspdLongitude"),
        "registration_status": record.get("registrationStatus"),
        "registration_date": record.get("registrationDate"),
        "deregistration_date": record.get("deregistrationDate"),
        "dormant": record.get("dormancy"),
        "has_registered_manager": _registered_manager(record),
        # dd/mm/yyyy: since when CQC has recorded the registered manager absent
        "registered_manager_absent_date": record.get("registeredManagerAbsentDate"),
        "brand_id": record.get("brandId"),
        "brand_name": record.get("brandName"),
        "primary_inspection_category": _primary_category(record),
        "dual_registration_primary_id": None,
    }
    return StagedLocation(
        row_number=row_number,
        raw=record,
        fields=fields,
        service_types=[g.get("description") or g.get("name") or ""
                       for g in record.get("gacServiceTypes") or [] if isinstance(g, dict)],
        specialisms=[s["name"] for s in record.get("specialisms") or [] if isinstance(s, dict)
                     and s.get("name")],
        ratings=api_ratings(record),
        source=source,
    )


def provider_details(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "provider_name": record.get("name") or record.get("providerName"),
        "ownership_type": record.get("ownershipType"),
        "companies_house_number": record.get("companiesHouseNumber"),
    }
