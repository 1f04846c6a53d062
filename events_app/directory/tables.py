"""Producers (OCOP "chủ thể"), their certified products, distributors with their sourcing interests,
and the provincial agencies (Sở Công Thương, trade-promotion centres) that sign MoUs with them."""

from enum import Enum

from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events_app.reference.tables import ProductGroup, Province, Region


class ProducerType(str, Enum):
    cooperative = "cooperative"
    cooperative_group = "cooperative_group"
    enterprise = "enterprise"
    household = "household"


class DistributorType(str, Enum):
    supermarket_chain = "supermarket_chain"
    wholesaler = "wholesaler"
    ecommerce = "ecommerce"
    exporter = "exporter"


class CertificationKind(str, Enum):
    """Certifications other than OCOP's own (whose certificate stays on the product)."""

    vietgap = "vietgap"
    globalgap = "globalgap"
    haccp = "haccp"
    iso22000 = "iso22000"
    organic = "organic"
    food_safety = "food_safety"
    # Compliance documents kept the same way, with their validity: the producer's own declaration of
    # the standards a product meets (tự công bố sản phẩm) and its registered trademark (nhãn hiệu).
    standards_declaration = "standards_declaration"
    trademark = "trademark"


# A declaration of standards stands while the product is made as declared (Nghị định 15/2018/NĐ-CP):
# it may have no end date. Every other kind ends on a day.
OPEN_ENDED_KINDS = frozenset({CertificationKind.standards_declaration.value})


class Channel(str, Enum):
    """Where a product is sold, or where a distributor sells."""

    supermarket = "supermarket"
    ecommerce = "ecommerce"
    export = "export"
    wholesale = "wholesale"
    horeca = "horeca"


class VolumeUnit(str, Enum):
    kg = "kg"
    tonne = "tonne"
    litre = "litre"
    item = "item"


class EvaluationLevel(str, Enum):
    provincial = "provincial"
    national = "national"


class Producer(Table):
    name = Varchar(length=200)
    slug = Varchar(length=220, unique=True)
    producer_type = Varchar(length=30, choices=ProducerType)
    province = ForeignKey(references=Province, on_delete=OnDelete.restrict, null=False)
    # The province as written on the certificate, which may be a former (merged) one.
    province_as_written = Varchar(length=120, default="")
    address = Varchar(length=300, default="")
    phone = Varchar(length=40, default="")
    email = Varchar(length=254, default="")
    website = Varchar(length=300, default="")
    description = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    # What the programme reports on (PRODUCER_ATTRIBUTES): said by the producer, corrected by staff.
    women_led = Boolean(default=False)
    ethnic_minority = Boolean(default=False)
    craft_village = Boolean(default=False)
    youth_startup = Boolean(default=False)
    cooperative_group = Boolean(default=False)


class Product(Table):
    producer = ForeignKey(references=Producer, on_delete=OnDelete.cascade, null=False)
    name = Varchar(length=200)
    slug = Varchar(length=220, unique=True)
    group = ForeignKey(references=ProductGroup, on_delete=OnDelete.restrict, null=False)
    stars = Integer()
    certificate_number = Varchar(length=80, default="")
    certified_on = Date()
    valid_until = Date(index=True)
    evaluation_level = Varchar(length=20, choices=EvaluationLevel, default=EvaluationLevel.provincial)
    description = Text(default="")
    story = Text(default="")
    price = BigInt(null=True, default=None)
    unit = Varchar(length=40, default="")
    image = Varchar(length=200, default="")
    traceability_url = Varchar(length=300, default="")
    # Channels it is sold through, as sorted Channel values joined by commas (see directory.profiles).
    channels = Varchar(length=100, default="")
    # How much the producer can supply a month, in `capacity_unit`; None when not said.
    monthly_capacity = Integer(null=True, default=None)
    capacity_unit = Varchar(length=10, choices=VolumeUnit, default=VolumeUnit.kg)
    # What the product is found by, folded (see directory.search): its name; its name, producer,
    # province and group; its description and story.
    search_name = Text(default="")
    search_text = Text(default="")
    search_story = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    # The code printed on its traceability stamp, and its GTIN barcode (8, 12 or 13 digits, see directory.codes).
    traceability_code = Varchar(length=80, default="")
    barcode = Varchar(length=14, default="")


# The attributes of a producer the programme counts, in the order they are shown.
PRODUCER_ATTRIBUTES = ("women_led", "ethnic_minority", "craft_village", "youth_startup", "cooperative_group")


class ListingPlatform(str, Enum):
    shopee = "shopee"
    lazada = "lazada"
    tiki = "tiki"
    tiktok_shop = "tiktok_shop"
    sendo = "sendo"
    postmart = "postmart"
    voso = "voso"
    own_website = "own_website"
    other = "other"


class ProductImage(Table):
    """A photo of a product; the one first in `position` is its main image, copied to Product.image."""

    product = ForeignKey(references=Product, on_delete=OnDelete.cascade, null=False)
    file_name = Varchar(length=200)  # relative to the media directory: products/<random>.<ext>
    position = Integer(default=0)
    alt_text = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ProductListing(Table):
    """Where a product is sold online: a platform and the address of its page there."""

    product = ForeignKey(references=Product, on_delete=OnDelete.cascade, null=False)
    platform = Varchar(length=20, choices=ListingPlatform)
    url = Varchar(length=500)
    position = Integer(default=0)


class Distributor(Table):
    name = Varchar(length=200)
    slug = Varchar(length=220, unique=True)
    distributor_type = Varchar(length=30, choices=DistributorType)
    province = ForeignKey(references=Province, null=True, on_delete=OnDelete.set_null)
    address = Varchar(length=300, default="")
    website = Varchar(length=300, default="")
    description = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class SourcingInterest(Table):
    """What a distributor buys: a product group (or any), a minimum star rating, where from."""

    distributor = ForeignKey(references=Distributor, on_delete=OnDelete.cascade, null=False)
    group = ForeignKey(references=ProductGroup, null=True, on_delete=OnDelete.cascade)
    min_stars = Integer(default=3)
    province = ForeignKey(references=Province, null=True, on_delete=OnDelete.cascade)
    region = ForeignKey(references=Region, null=True, on_delete=OnDelete.cascade)
    # A note on certifications, as typed (before the kinds below were asked for, the only place).
    required_certifications = Varchar(length=200, default="")
    # Certifications every product must hold, valid on the conference's days: CertificationKind values.
    certification_kinds = Varchar(length=100, default="")
    channels = Varchar(length=100, default="")
    min_monthly_volume = Integer(null=True, default=None)
    volume_unit = Varchar(length=10, choices=VolumeUnit, default=VolumeUnit.kg)
    volume = Varchar(length=200, default="")
    is_active = Boolean(default=True)


class AgencyKind(str, Enum):
    """A provincial public body that signs MoUs: the Department of Industry and Trade (Sở Công
    Thương) or its trade-promotion centre (Trung tâm Xúc tiến thương mại)."""

    industry_trade_department = "industry_trade_department"
    trade_promotion_centre = "trade_promotion_centre"


class Agency(Table):
    """A provincial agency, an organisation of the directory beside producers and distributors; it
    has no accounts of its own: staff record the MoUs it signs. Who signs for it by default."""

    name = Varchar(length=200)
    slug = Varchar(length=220, unique=True)
    agency_kind = Varchar(length=30, choices=AgencyKind, default=AgencyKind.industry_trade_department)
    province = ForeignKey(references=Province, on_delete=OnDelete.restrict, null=False)
    representative = Varchar(length=200, default="")
    representative_title = Varchar(length=200, default="")
    address = Varchar(length=300, default="")
    phone = Varchar(length=40, default="")
    email = Varchar(length=254, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Certification(Table):
    """A product's certification, or its producer's (then every product of it holds it): exactly one is set."""

    product = ForeignKey(references=Product, null=True, on_delete=OnDelete.cascade)
    producer = ForeignKey(references=Producer, null=True, on_delete=OnDelete.cascade)
    kind = Varchar(length=30, choices=CertificationKind)
    number = Varchar(length=80, default="")
    issuer = Varchar(length=200, default="")
    valid_from = Date()
    valid_until = Date(null=True, default=None)  # None: no end date, for a standards declaration only (OPEN_ENDED_KINDS)
    created_at = Timestamptz(default=TimestamptzNow())


class ShortlistEntry(Table):
    """A product a distributor keeps to follow up (one entry per distributor and product)."""

    distributor = ForeignKey(references=Distributor, on_delete=OnDelete.cascade, null=False)
    product = ForeignKey(references=Product, on_delete=OnDelete.cascade, null=False)
    created_at = Timestamptz(default=TimestamptzNow())
