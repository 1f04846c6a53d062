"""The demo data set, drawn from articles about the OCOP programme.

Producers and products are those the articles name (Nghệ An's Quỳnh Lưu, Con Cuông, Vinh, Yên
Thành and Nam Đàn; Gà Tiên Yên of Quảng Ninh), with their provinces and star ratings. Event dates
are counted from the day the demo is loaded, so the events always lie ahead and their application
windows are open. One certificate has expired on purpose, and one ends within the 90 days of the
re-recognition list (ENDING_SOON), counted from the day the demo is loaded too.
"""

from __future__ import annotations

import datetime as dt

DEMO_PASSWORD = "ocop-demo-2026"

# Products whose certificate ends this many days after the day the demo is loaded, whatever the date
# above says: the producer sees its notice and sends a dossier, staff re-recognise it. A "{year}" in
# the certificate number is the year it was given.
ENDING_SOON = {("cong-ty-cp-cong-nghe-tao-viet-nam", "Đậu tương lên men Nattokinaza"): 45}

# (organisation slug, name, type, province as written, address, description, products)
# product: (name, group code, stars, certificate number, certified on, price VND, unit, description)
PRODUCERS = [
    (
        "cong-ty-cp-cong-nghe-tao-viet-nam",
        "Công ty CP Công nghệ tảo Việt Nam",
        "enterprise",
        "Nghệ An",
        "Xã Quỳnh Lương, Nghệ An",
        "Nuôi trồng và chế biến tảo xoắn Spirulina theo công nghệ cao ven biển Quỳnh Lưu.",
        [
            ("Tảo xoắn Spirulina Michio", "food", 4, "OCOP-NA-2024-0112", dt.date(2024, 9, 12), 450_000, "hộp 100 g",
             "Tảo xoắn Quỳnh Lưu dạng viên, nuôi trong hồ nước mặn ven biển."),
            ("Rượu đông trùng hạ thảo", "beverages", 4, "OCOP-NA-2024-0113", dt.date(2024, 9, 12), 680_000, "chai 500 ml",
             "Rượu ngâm đông trùng hạ thảo nuôi cấy tại Quỳnh Lương."),
            ("Đậu tương lên men Nattokinaza", "herbal", 4, "OCOP-NA-{year}-0114", dt.date(2024, 9, 12), 390_000, "lọ 60 viên",
             "Thực phẩm bảo vệ sức khỏe từ đậu tương lên men."),
        ],
    ),
    (
        "htx-ga-tien-yen",
        "HTX Chăn nuôi gà Tiên Yên",
        "cooperative",
        "Quảng Ninh",
        "Thị trấn Tiên Yên, Quảng Ninh",
        "Gà Tiên Yên chăn thả đồi, thương hiệu được người tiêu dùng tin tưởng.",
        [
            ("Gà Tiên Yên", "food", 4, "OCOP-QN-2025-0031", dt.date(2025, 3, 20), 220_000, "kg",
             "Gà ri lai chăn thả đồi, thịt chắc, da vàng."),
        ],
    ),
    (
        "co-so-nuoc-mam-tan-hoi",
        "Cơ sở nước mắm Tân Hội",
        "household",
        "Nghệ An",
        "Phường Cửa Lò, Nghệ An",
        "Nước mắm truyền thống ủ chượp cá cơm biển Cửa Lò.",
        [
            ("Nước mắm Tân Hội Cửa Lò", "food", 3, "OCOP-NA-2024-0201", dt.date(2024, 11, 5), 95_000, "chai 500 ml",
             "Nước mắm cá cơm ủ chượp 12 tháng."),
        ],
    ),
    (
        "htx-duoc-lieu-con-cuong",
        "HTX Dược liệu Con Cuông",
        "cooperative",
        "Nghệ An",
        "Xã Con Cuông, Nghệ An",
        "Trà túi lọc từ dược liệu vùng đệm Vườn quốc gia Pù Mát, gắn với du lịch cộng đồng.",
        [
            ("Trà túi lọc Cà gai leo", "herbal", 4, "OCOP-NA-2025-0045", dt.date(2025, 1, 15), 85_000, "hộp 25 túi",
             "Cà gai leo trồng dưới tán rừng Pù Mát."),
            ("Trà túi lọc Dây thìa canh", "herbal", 4, "OCOP-NA-2025-0046", dt.date(2025, 1, 15), 85_000, "hộp 25 túi",
             "Dây thìa canh sấy lạnh, đóng túi lọc."),
            ("Trà túi lọc Giảo cổ lam", "herbal", 4, "OCOP-NA-2025-0047", dt.date(2025, 1, 15), 85_000, "hộp 25 túi",
             "Giảo cổ lam năm lá thu hái tự nhiên."),
        ],
    ),
    (
        "co-so-nam-linh-chi-atc",
        "Cơ sở nấm linh chi ATC",
        "enterprise",
        "Nghệ An",
        "Thành phố Vinh, Nghệ An",
        "Nuôi trồng và chế biến nấm linh chi tại ngoại thành Vinh.",
        [
            ("Nấm linh chi ATC", "herbal", 4, "OCOP-NA-2024-0301", dt.date(2024, 6, 1), 750_000, "hộp 500 g",
             "Nấm linh chi đỏ sấy khô, thái lát."),
            ("Trà linh chi ATC", "beverages", 4, "OCOP-NA-2024-0302", dt.date(2024, 6, 1), 180_000, "hộp 20 túi",
             "Trà túi lọc linh chi."),
        ],
    ),
    (
        "htx-nong-nghiep-va-dich-vu-minh-thanh",
        "HTX Nông nghiệp và Dịch vụ Minh Thành",
        "cooperative",
        "Nghệ An",
        "Xã Minh Thành, Nghệ An",
        "Vùng cam Vinh trên đất đồi Yên Thành.",
        [
            ("Cam Vinh", "food", 3, "OCOP-NA-2025-0120", dt.date(2025, 10, 2), 45_000, "kg",
             "Cam xã Đoài, vỏ mỏng, ngọt thanh, thu hoạch từ tháng 10."),
        ],
    ),
    (
        "cong-ty-tnhh-khoa-hoc-cong-nghe-vinh-hoa",
        "Công ty TNHH Khoa học Công nghệ Vĩnh Hòa",
        "enterprise",
        "Nghệ An",
        "Xã Vĩnh Thành, Nghệ An",
        "",
        [
            ("Trà thảo dược Vĩnh Hòa", "beverages", 3, "OCOP-NA-2025-0121", dt.date(2025, 10, 2), 120_000, "hộp",
             "Trà thảo dược phối trộn từ cây thuốc địa phương."),
        ],
    ),
    (
        "cong-ty-tnhh-long-lien-nghe-an",
        "Công ty TNHH Sản xuất và Thương mại Long Liên Nghệ An",
        "enterprise",
        "Nghệ An",
        "Xã Tân Thành, Nghệ An",
        "",
        [
            ("Ngũ cốc lợi sữa Long Liên", "food", 3, "OCOP-NA-2025-0122", dt.date(2025, 10, 2), 210_000, "hộp 500 g",
             "Ngũ cốc dinh dưỡng cho mẹ sau sinh, ít đường."),
        ],
    ),
    (
        "ho-san-xuat-le-dinh-chung",
        "Hộ sản xuất Lê Đình Chung",
        "household",
        "Nghệ An",
        "Xã Hợp Thành, Nghệ An",
        "",
        [
            ("Giò bê Chung Tài", "food", 3, "OCOP-NA-2025-0123", dt.date(2025, 10, 2), 280_000, "kg",
             "Giò bê giã tay, gói lá chuối."),
        ],
    ),
    (
        "to-hop-tac-oc-buou-den-duc-thanh",
        "Tổ hợp tác bươu đen Đức Thành",
        "cooperative_group",
        "Nghệ An",
        "Xã Đức Thành, Nghệ An",
        "",
        [
            ("Ốc bươu đen Đức Thành", "food", 3, "OCOP-NA-2025-0124", dt.date(2025, 10, 2), 60_000, "kg",
             "Ốc bươu đen nuôi ruộng lúa."),
        ],
    ),
    (
        "to-hop-tac-tinh-bot-nghe-quang-thanh",
        "Tổ hợp tác Trồng và chế biến tinh bột nghệ xã Quang Thành",
        "cooperative_group",
        "Nghệ An",
        "Xã Quang Thành, Nghệ An",
        "",
        [
            ("Viên tinh nghệ mật ong", "herbal", 3, "OCOP-NA-2025-0125", dt.date(2025, 10, 2), 150_000, "lọ 250 g",
             "Tinh bột nghệ vàng viên cùng mật ong rừng."),
        ],
    ),
    (
        "cong-ty-cp-thuc-pham-ga-thao-moc-hao-hang",
        "Công ty CP Thực phẩm gà thảo mộc Hảo Hạng",
        "enterprise",
        "Nghệ An",
        "Xã Quỳnh Bảng, Nghệ An",
        "",
        [
            ("Trứng gà thảo mộc tảo xoắn", "food", 3, "OCOP-NA-2024-0140", dt.date(2024, 4, 18), 55_000, "hộp 10 quả",
             "Trứng gà nuôi bằng thức ăn thảo mộc bổ sung tảo xoắn."),
        ],
    ),
    (
        "co-so-com-say-hung-thinh",
        "Cơ sở sản xuất cơm sấy Hưng Thịnh",
        "household",
        "Nghệ An",
        "Xã Quỳnh Bá, Nghệ An",
        "",
        [
            # Certified in June 2023: the certificate ran out in June 2026 and awaits re-evaluation.
            ("Cơm sấy Hưng Thịnh", "food", 3, "OCOP-NA-2023-0088", dt.date(2023, 6, 15), 40_000, "gói 200 g",
             "Cơm cháy sấy giòn."),
        ],
    ),
    (
        "htx-sen-que-bac",
        "HTX Sen quê Bác",
        "cooperative",
        "Nghệ An",
        "Xã Kim Liên, Nghệ An",
        "Sen trồng quanh khu di tích Kim Liên, chế biến hạt sen và trà tim sen.",
        [
            ("Hạt sen sấy Sen quê Bác", "food", 4, "OCOP-NA-2025-0150", dt.date(2025, 5, 19), 160_000, "hộp 300 g",
             "Hạt sen sấy giòn từ đầm sen Kim Liên."),
            ("Trà tim sen Sen quê Bác", "beverages", 4, "OCOP-NA-2025-0151", dt.date(2025, 5, 19), 90_000, "hộp 100 g",
             "Tim sen sao vàng."),
        ],
    ),
    (
        "co-so-mien-gao-quy-chinh",
        "Cơ sở miến gạo Quy Chính",
        "household",
        "Nghệ An",
        "Xã Kim Liên, Nghệ An",
        "",
        [
            ("Miến gạo Quy Chính", "food", 3, "OCOP-NA-2025-0152", dt.date(2025, 5, 19), 50_000, "gói 500 g",
             "Miến làm từ gạo địa phương, phơi nắng."),
        ],
    ),
    (
        "ban-du-lich-cong-dong-ban-khe-ran",
        "Tổ du lịch cộng đồng bản Khe Rạn",
        "cooperative_group",
        "Nghệ An",
        "Bản Khe Rạn, xã Bồng Khê, Nghệ An",
        "Du lịch cộng đồng của đồng bào Thái bên dòng Khe Rạn; dệt thổ cẩm, ẩm thực, múa cổ truyền.",
        [
            ("Du lịch cộng đồng bản Khe Rạn", "tourism", 3, "OCOP-NA-2024-0210", dt.date(2024, 8, 8), 350_000, "khách/ngày",
             "Một ngày ở bản: dệt thổ cẩm, bữa cơm Thái, múa cổ truyền."),
            ("Rượu men lá hạ thổ", "beverages", 3, "OCOP-NA-2024-0211", dt.date(2024, 8, 8), 150_000, "bình 1 lít",
             "Rượu nếp men lá rừng, hạ thổ ba tháng."),
        ],
    ),
    (
        "htx-muoi-tom-bac-lieu",
        "HTX Muối tôm Bạc Liêu",
        "cooperative",
        "Bạc Liêu",
        "Phường Bạc Liêu, Cà Mau",
        "Chứng nhận OCOP khi còn là tỉnh Bạc Liêu; từ 1/7/2025 thuộc tỉnh Cà Mau.",
        [
            ("Muối tôm Bạc Liêu", "food", 3, "OCOP-BL-2024-0091", dt.date(2024, 7, 1), 35_000, "hũ 200 g",
             "Muối hột rang cùng tôm khô và ớt."),
        ],
    ),
]

# (slug, name, type, province, website, description, interests)
# interest: (group code or None, minimum stars, province or None, region or None, volume)
DISTRIBUTORS = [
    ("saigon-co-op", "Saigon Co.op", "supermarket_chain", "Thành phố Hồ Chí Minh", "https://www.saigonco-op.com.vn",
     "Hệ thống Co.opmart, Co.opXtra và cửa hàng Co.op Food trên cả nước.",
     [("food", 4, None, None, "2 tấn/tháng"), ("beverages", 3, None, "Bắc Trung Bộ và Duyên hải miền Trung", "5.000 chai/quý")]),
    ("central-retail-viet-nam", "Central Retail Việt Nam", "supermarket_chain", "Hà Nội", "https://www.centralretail.com.vn",
     "Đại siêu thị GO!, Tops Market và mini go!.",
     [("herbal", 4, None, None, "10.000 hộp/năm"), ("food", 3, "Nghệ An", None, "")]),
    ("postmart", "Sàn thương mại điện tử Postmart", "ecommerce", "Hà Nội", "https://postmart.vn",
     "Sàn thương mại điện tử của Bưu điện Việt Nam, gian hàng OCOP các tỉnh.",
     [(None, 3, None, None, "")]),
    ("intimex-nghe-an", "Công ty CP Intimex Nghệ An", "exporter", "Nghệ An", "",
     "Thu mua nông sản, thực phẩm chế biến cho thị trường trong nước và xuất khẩu.",
     [("food", 4, None, "Bắc Trung Bộ và Duyên hải miền Trung", "1 container/tháng"), ("herbal", 4, None, None, "")]),
]

# Provincial agencies: the Departments of Industry and Trade (Sở Công Thương) of the Central and
# Highlands provinces signed cooperation MoUs at the Đắk Lắk conference, beside the trade MoUs of
# distributors and cooperatives (seeds/000). (slug, name, kind, province, title of who signs, address)
AGENCIES = [
    ("so-cong-thuong-dak-lak", "Sở Công Thương tỉnh Đắk Lắk", "industry_trade_department", "Đắk Lắk", "Giám đốc Sở",
     "Phường Buôn Ma Thuột, Đắk Lắk"),
    ("so-cong-thuong-nghe-an", "Sở Công Thương tỉnh Nghệ An", "industry_trade_department", "Nghệ An", "Giám đốc Sở",
     "Phường Vinh Phú, Nghệ An"),
    ("so-cong-thuong-gia-lai", "Sở Công Thương tỉnh Gia Lai", "industry_trade_department", "Gia Lai", "Phó Giám đốc Sở",
     "Phường Pleiku, Gia Lai"),
    ("trung-tam-xuc-tien-thuong-mai-nghe-an", "Trung tâm Xúc tiến thương mại tỉnh Nghệ An", "trade_promotion_centre",
     "Nghệ An", "Giám đốc Trung tâm", "Phường Vinh Phú, Nghệ An"),
]

# (email, name, role, organisation slug or None)
USERS = [
    ("admin@ocop.example", "Quản trị hệ thống", "admin", None),
    ("staff@ocop.example", "Nguyễn Thị Hạnh (Sở Công Thương Nghệ An)", "staff", None),
    ("producer@ocop.example", "Trần Văn Minh (Công ty CP Công nghệ tảo Việt Nam)", "producer", "cong-ty-cp-cong-nghe-tao-viet-nam"),
    ("producer2@ocop.example", "Lê Thị Thanh (HTX Minh Thành)", "producer", "htx-nong-nghiep-va-dich-vu-minh-thanh"),
    ("producer3@ocop.example", "Vũ Văn Hải (HTX Gà Tiên Yên)", "producer", "htx-ga-tien-yen"),
    ("distributor@ocop.example", "Phạm Quốc Bảo (Saigon Co.op)", "distributor", "saigon-co-op"),
    ("distributor2@ocop.example", "Đỗ Thu Trang (Central Retail)", "distributor", "central-retail-viet-nam"),
]

# (slug, name, address, province, halls as (name, width m, depth m))
VENUES = [
    ("quang-truong-ho-chi-minh-vinh", "Quảng trường Hồ Chí Minh", "Đường Trường Thi, phường Thành Vinh", "Nghệ An",
     [("Khu A", 40, 24), ("Khu B", 30, 24)]),
    ("trung-tam-hoi-nghi-dak-lak", "Trung tâm Hội nghị tỉnh Đắk Lắk", "Phường Buôn Ma Thuột", "Đắk Lắk",
     [("Hội trường A", 30, 20), ("Sảnh kết nối B2B", 24, 18)]),
    ("khu-di-tich-kim-lien", "Khu di tích Kim Liên", "Xã Kim Liên", "Nghệ An",
     [("Nhà trưng bày OCOP", 20, 10)]),
    ("diem-dung-chan-du-lich-nam-dan", "Điểm dừng chân du lịch Nam Đàn", "Quốc lộ 46, xã Nam Đàn", "Nghệ An",
     [("Quầy OCOP", 12, 6)]),
]

FAIR = "hoi-cho-ocop-bac-trung-bo"
CONFERENCE = "hoi-nghi-ket-noi-ocop-mien-trung-tay-nguyen"
SHOWROOM = "diem-ocop-khu-di-tich-kim-lien"
SHOWROOM_NAM_DAN = "diem-ocop-nam-dan"

# The province's showroom points at tourist sites, run as one network (as Nam Đàn links its
# products to the district's heritage sites and stops): (slug, name, organiser, description,
# points as (event slug, tourist site)).
NETWORK = (
    "diem-gioi-thieu-va-ban-san-pham-ocop-nghe-an",
    "Điểm giới thiệu và bán sản phẩm OCOP Nghệ An",
    "Sở Công Thương Nghệ An",
    "Các điểm trưng bày, giới thiệu và bán sản phẩm OCOP tại di tích lịch sử văn hóa, danh lam thắng cảnh và điểm "
    "dừng chân du lịch của Nghệ An, gắn với các tour tuyến du lịch; kệ hàng cho thuê theo tháng ở từng điểm.",
    [(SHOWROOM, "Khu di tích Kim Liên"), (SHOWROOM_NAM_DAN, "Khu du lịch núi Đại Huệ – Nam Đàn")],
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def event_specs(today: dt.date) -> list[dict]:
    """The three demo events, dated from `today` (local): a fair in three weeks, the connection
    conference next week, and a showroom open from the start of this year to the end of the next."""
    fair_day = today + dt.timedelta(days=24)
    conference_day = today + dt.timedelta(days=6)
    return [
        {
            "slug": FAIR,
            "title_vi": f"Hội chợ sản phẩm OCOP khu vực Bắc Trung Bộ {fair_day.year}",
            "title_en": f"North Central OCOP Products Fair {fair_day.year}",
            "kind": "fair",
            "venue": "quang-truong-ho-chi-minh-vinh",
            "province": "Nghệ An",
            "starts": _at(fair_day, 8),
            "ends": _at(fair_day + dt.timedelta(days=4), 22),
            "organiser": "Sở Công Thương Nghệ An",
            "description": (
                "Hơn 50 gian hàng sản phẩm OCOP 3 sao trở lên của các tỉnh Bắc Trung Bộ, Đồng bằng sông Hồng và "
                "miền núi phía Bắc; quảng bá, kết nối tiêu thụ và giới thiệu sản phẩm gắn với du lịch."
            ),
            "opens": _at(today - dt.timedelta(days=22), 8),
            "closes": _at(fair_day - dt.timedelta(days=10), 17),
            "min_stars": 3,
            "regions": ["Bắc Trung Bộ và Duyên hải miền Trung", "Đồng bằng sông Hồng", "Trung du và miền núi phía Bắc"],
            "booths": [
                # (hall, rows, columns, prefix, type, price VND)
                ("Khu A", 4, 10, "A", "standard", 3_500_000),
                ("Khu B", 2, 8, "B", "premium", 6_000_000),
            ],
            "blocked": ["A-20"],  # the stage stands there
            # Drawn on the plan, never rented: (hall, kind, label, x, y, width, depth) in metres.
            "features": [
                ("Khu A", "aisle", "Lối đi chính", 1, 7, 30, 2),
                ("Khu A", "stage", "Sân khấu chính", 33, 2, 6, 8),
                ("Khu A", "entrance", "Cửa chính", 16, 23, 8, 1),
                ("Khu A", "pillar", "", 10.2, 7.7, 0.6, 0.6),
                ("Khu A", "pillar", "", 20.2, 7.7, 0.6, 0.6),
                ("Khu B", "entrance", "Cửa phụ", 0, 10, 1, 4),
            ],
            "type_prices": {"standard": 3_500_000, "corner": 4_500_000, "premium": 6_000_000, "outdoor": 2_500_000},
            "sessions": [
                ("Khai mạc hội chợ", "plenary", _at(fair_day, 8, 30), _at(fair_day, 9, 30), "Sân khấu chính", 0, 0),
            ],
        },
        {
            "slug": CONFERENCE,
            "title_vi": "Hội nghị kết nối sản phẩm OCOP vào các điểm giới thiệu và bán sản phẩm OCOP khu vực Miền Trung – Tây Nguyên",
            "title_en": "Central and Highlands OCOP supply–demand connection conference",
            "kind": "conference",
            "venue": "trung-tam-hoi-nghi-dak-lak",
            "province": "Đắk Lắk",
            "starts": _at(conference_day, 8),
            "ends": _at(conference_day, 17),
            "organiser": "Bộ Công Thương phối hợp Bộ Nông nghiệp và Môi trường",
            "description": (
                "Kết nối các chủ thể OCOP với hệ thống siêu thị, nhà phân phối và các điểm giới thiệu, bán sản phẩm OCOP; "
                "Sở Công Thương các tỉnh miền Trung – Tây Nguyên ký biên bản ghi nhớ hợp tác, doanh nghiệp phân phối "
                "ký biên bản ghi nhớ giao thương với hợp tác xã và hộ sản xuất."
            ),
            "opens": _at(today - dt.timedelta(days=39), 8),
            "closes": _at(conference_day - dt.timedelta(days=2), 17),
            "min_stars": 3,
            "regions": ["Bắc Trung Bộ và Duyên hải miền Trung", "Tây Nguyên"],
            "booths": [],
            "sessions": [
                # (title, kind, start, end, room, tables, minutes per slot)
                ("Phiên toàn thể: OCOP và kênh phân phối hiện đại", "plenary",
                 _at(conference_day, 8), _at(conference_day, 9, 30), "Hội trường A", 0, 0),
                ("Kết nối giao thương B2B", "b2b",
                 _at(conference_day, 9, 45), _at(conference_day, 11, 45), "Sảnh kết nối B2B", 20, 20),
                ("Lễ ký kết biên bản ghi nhớ", "signing",
                 _at(conference_day, 14), _at(conference_day, 15), "Hội trường A", 0, 10),
            ],
        },
        {
            "slug": SHOWROOM,
            "title_vi": "Điểm giới thiệu và bán sản phẩm OCOP – Khu di tích Kim Liên",
            "title_en": "OCOP showroom at the Kim Liên heritage site",
            "kind": "showroom",
            "venue": "khu-di-tich-kim-lien",
            "province": "Nghệ An",
            "starts": _at(dt.date(today.year, 1, 1), 7, 30),
            "ends": _at(dt.date(today.year + 1, 12, 31), 17, 30),
            "organiser": "Trung tâm Xúc tiến Thương mại Nghệ An",
            "description": (
                "Quầy trưng bày, bán sản phẩm OCOP cho du khách tham quan Khu di tích Kim Liên; "
                "kệ hàng cho thuê theo tháng."
            ),
            "opens": _at(dt.date(today.year - 1, 12, 1), 8),
            "closes": _at(dt.date(today.year + 1, 11, 30), 17),
            "min_stars": 3,
            "regions": [],
            "booths": [("Nhà trưng bày OCOP", 2, 6, "K", "shelf", 1_500_000)],
            "blocked": [],
            "sessions": [],
            # Tuesday to Sunday, 07:30–17:30; closed on Mondays.
            "opening_hours": [(day, dt.time(7, 30), dt.time(17, 30)) for day in range(1, 7)],
        },
        {
            "slug": SHOWROOM_NAM_DAN,
            "title_vi": "Điểm giới thiệu và bán sản phẩm OCOP – Điểm dừng chân du lịch Nam Đàn",
            "title_en": "OCOP showroom at the Nam Đàn tourist stop",
            "kind": "showroom",
            "venue": "diem-dung-chan-du-lich-nam-dan",
            "province": "Nghệ An",
            "starts": _at(dt.date(today.year, 1, 1), 7),
            "ends": _at(dt.date(today.year + 1, 12, 31), 19),
            "organiser": "Trung tâm Xúc tiến Thương mại Nghệ An",
            "description": (
                "Quầy giới thiệu và bán sản phẩm OCOP của Nam Đàn — sen, chanh Thiên Nhẫn, giò me, miến gạo — cho du "
                "khách dừng chân trên đường về Kim Liên và lên núi Đại Huệ; kệ hàng cho thuê theo tháng."
            ),
            "opens": _at(dt.date(today.year - 1, 12, 1), 8),
            "closes": _at(dt.date(today.year + 1, 11, 30), 17),
            "min_stars": 3,
            "regions": [],
            "booths": [("Quầy OCOP", 1, 6, "N", "shelf", 1_200_000)],
            "blocked": [],
            "sessions": [],
            # Every day 07:00–18:00, longer on Saturdays and Sundays when the tour buses stop.
            "opening_hours": [(day, dt.time(7), dt.time(18)) for day in range(0, 5)]
            + [(day, dt.time(6, 30), dt.time(19)) for day in (5, 6)],
        },
    ]


# Booth applications at the fair: (producer slug, products, preferred booths, decision, booth).
# Decision: "confirmed", "approved", "submitted", "waitlisted" or a rejection reason.
FAIR_APPLICATIONS = [
    ("cong-ty-cp-cong-nghe-tao-viet-nam", ["Tảo xoắn Spirulina Michio", "Rượu đông trùng hạ thảo"], ["A-05", "A-06"], "confirmed", "A-05"),
    ("htx-sen-que-bac", ["Hạt sen sấy Sen quê Bác", "Trà tim sen Sen quê Bác"], ["A-01"], "confirmed", "A-01"),
    ("co-so-nam-linh-chi-atc", ["Nấm linh chi ATC", "Trà linh chi ATC"], ["B-01", "B-02"], "confirmed", "B-01"),
    ("htx-duoc-lieu-con-cuong", ["Trà túi lọc Cà gai leo", "Trà túi lọc Giảo cổ lam"], ["A-07"], "approved", "A-07"),
    ("co-so-nuoc-mam-tan-hoi", ["Nước mắm Tân Hội Cửa Lò"], ["A-02", "A-03"], "approved", "A-02"),
    ("htx-ga-tien-yen", ["Gà Tiên Yên"], ["A-03", "B-02"], "submitted", None),
    ("to-hop-tac-oc-buou-den-duc-thanh", ["Ốc bươu đen Đức Thành"], ["A-04"], "waitlisted", None),
    ("cong-ty-tnhh-long-lien-nghe-an", ["Ngũ cốc lợi sữa Long Liên"], ["B-03"],
     "Khu thực phẩm chế biến đã đủ gian hàng; mời đơn vị đăng ký điểm giới thiệu Kim Liên.", None),
]

# Shelf rentals at the showroom: (producer slug, products, slot, first month from now, months, approved).
SHOWROOM_RENTALS = [
    ("htx-sen-que-bac", ["Hạt sen sấy Sen quê Bác"], "K-01", 0, 3, True),
    ("co-so-nuoc-mam-tan-hoi", ["Nước mắm Tân Hội Cửa Lò"], "K-02", 1, 1, False),
    ("htx-duoc-lieu-con-cuong", ["Trà túi lọc Dây thìa canh"], "K-07", 0, 2, True),
]

# Shelf rentals at the Nam Đàn point: HTX Sen quê Bác rents its shelf again for a later period.
NAM_DAN_RENTALS = [
    ("htx-sen-que-bac", ["Trà tim sen Sen quê Bác"], "N-01", 0, 2, True),
    ("htx-sen-que-bac", ["Trà tim sen Sen quê Bác"], "N-01", 3, 3, True),
    ("co-so-mien-gao-quy-chinh", ["Miến gạo Quy Chính"], "N-02", 0, 1, False),
]

# The conference: who attends, who asked whom to meet, and the MoUs.
CONFERENCE_PRODUCERS = [
    "cong-ty-cp-cong-nghe-tao-viet-nam", "htx-nong-nghiep-va-dich-vu-minh-thanh", "htx-duoc-lieu-con-cuong",
    "co-so-nam-linh-chi-atc", "htx-sen-que-bac", "cong-ty-tnhh-khoa-hoc-cong-nghe-vinh-hoa",
]
CONFERENCE_DISTRIBUTORS = ["saigon-co-op", "central-retail-viet-nam", "postmart", "intimex-nghe-an"]
# (asking side, producer slug, distributor slug, message, answer: "accepted", "declined" or None)
MEETING_REQUESTS = [
    ("distributor", "cong-ty-cp-cong-nghe-tao-viet-nam", "saigon-co-op", "Tìm nguồn tảo xoắn cho Co.opmart.", "accepted"),
    ("distributor", "htx-duoc-lieu-con-cuong", "central-retail-viet-nam", "Trà dược liệu cho GO! và Tops Market.", "accepted"),
    ("producer", "cong-ty-cp-cong-nghe-tao-viet-nam", "central-retail-viet-nam", "Giới thiệu đậu tương lên men Nattokinaza.", "accepted"),
    ("producer", "co-so-nam-linh-chi-atc", "intimex-nghe-an", "Nấm linh chi cho thị trường xuất khẩu.", "accepted"),
    ("distributor", "htx-sen-que-bac", "postmart", "Mở gian hàng Sen quê Bác trên Postmart.", None),
    ("producer", "htx-nong-nghiep-va-dich-vu-minh-thanh", "saigon-co-op", "Cam Vinh vụ mới cho Co.opmart miền Nam.", None),
]
# MoUs the organisers arranged between several parties, recorded by staff and signed at the ceremony:
# the Departments of Industry and Trade of three provinces, and Nghệ An's trade-promotion centre with
# Saigon Co.op and three Nghệ An producers. (title, parties as (kind, slug, who signs, in what
# capacity), products as (producer slug, name), value VND, volume, terms, stage: agreed/signed)
ARRANGED_MOUS = [
    ("Hợp tác phát triển sản xuất và kết nối giao thương sản phẩm OCOP giữa Đắk Lắk, Nghệ An và Gia Lai",
     [("agency", "so-cong-thuong-dak-lak", "", "Giám đốc Sở"), ("agency", "so-cong-thuong-nghe-an", "", "Giám đốc Sở"),
      ("agency", "so-cong-thuong-gia-lai", "", "Phó Giám đốc Sở")],
     [], 0, "",
     "Các bên trao đổi thông tin thị trường, cùng tổ chức hội chợ, hội nghị kết nối cung cầu và đưa sản phẩm OCOP "
     "của mỗi tỉnh vào các điểm giới thiệu và bán sản phẩm OCOP của tỉnh kia, giai đoạn 2027–2029.", "signed"),
    ("Đưa sản phẩm OCOP Nghệ An vào hệ thống Co.opmart",
     [("agency", "trung-tam-xuc-tien-thuong-mai-nghe-an", "", "Giám đốc Trung tâm"),
      ("distributor", "saigon-co-op", "", "Giám đốc Ngành hàng thực phẩm"),
      ("producer", "cong-ty-cp-cong-nghe-tao-viet-nam", "Trần Văn Minh", "Giám đốc"),
      ("producer", "htx-duoc-lieu-con-cuong", "", "Giám đốc HTX"),
      ("producer", "htx-sen-que-bac", "", "Giám đốc HTX")],
     [("cong-ty-cp-cong-nghe-tao-viet-nam", "Rượu đông trùng hạ thảo"), ("htx-duoc-lieu-con-cuong", "Trà túi lọc Giảo cổ lam"),
      ("htx-sen-que-bac", "Hạt sen sấy Sen quê Bác")],
     1_500_000_000, "Theo đơn hàng từng quý",
     "Trung tâm Xúc tiến thương mại hỗ trợ chi phí trưng bày; Saigon Co.op đưa sản phẩm lên kệ tại Co.opmart các tỉnh "
     "miền Trung; các chủ thể bảo đảm sản lượng và chứng nhận OCOP còn hiệu lực.", "signed"),
]
# (proposing side, producer, distributor, title, products, value VND, volume, stage: proposed/agreed/signed)
MOUS = [
    ("distributor", "cong-ty-cp-cong-nghe-tao-viet-nam", "saigon-co-op", "Cung ứng tảo xoắn Spirulina cho Co.opmart",
     ["Tảo xoắn Spirulina Michio"], 1_200_000_000, "12.000 hộp/năm", "signed"),
    ("distributor", "htx-duoc-lieu-con-cuong", "central-retail-viet-nam", "Trà túi lọc dược liệu Con Cuông tại GO!",
     ["Trà túi lọc Cà gai leo", "Trà túi lọc Dây thìa canh"], 850_000_000, "30.000 hộp/năm", "signed"),
    ("producer", "co-so-nam-linh-chi-atc", "intimex-nghe-an", "Xuất khẩu nấm linh chi ATC",
     ["Nấm linh chi ATC"], 2_400_000_000, "4 tấn/năm", "agreed"),
    ("producer", "htx-sen-que-bac", "postmart", "Gian hàng Sen quê Bác trên Postmart",
     ["Hạt sen sấy Sen quê Bác"], 300_000_000, "", "proposed"),
]
