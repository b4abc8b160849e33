"""policy: reads the district folder once into read-only lookups, and ships it through Kafka."""

from policy.context import DistrictContext
from policy.errors import (
    DistrictFileError,
    DistrictValidationError,
    InvalidValue,
    ReferenceRecordError,
)
from policy.loader import check_district, load_district
from policy.model import (
    Account,
    AccountKind,
    BuildingSettings,
    Consent,
    DistrictData,
    DistrictSettings,
    DutyFreeKind,
    DutyFreeWindow,
    ExternalSite,
    SchoolDay,
    Seal,
    Session,
)
from policy.records import district_from_records, district_to_records
from policy.roster import Enrollment, Org, OrgType, Person, Role

__all__ = [
    "Account",
    "AccountKind",
    "BuildingSettings",
    "Consent",
    "DistrictContext",
    "DistrictData",
    "DistrictFileError",
    "DistrictSettings",
    "DistrictValidationError",
    "DutyFreeKind",
    "DutyFreeWindow",
    "Enrollment",
    "ExternalSite",
    "InvalidValue",
    "Org",
    "OrgType",
    "Person",
    "ReferenceRecordError",
    "Role",
    "SchoolDay",
    "Seal",
    "Session",
    "check_district",
    "district_from_records",
    "district_to_records",
    "load_district",
]
