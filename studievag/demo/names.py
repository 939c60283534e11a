"""Name lists and background profiles for the demo data.

A profile ties a country of birth to a mother tongue, other common languages
and typical first and last names. The weights roughly follow the countries
of birth of students in Swedish introduction programmes in recent years.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    country: str
    mother_tongue: str
    other_languages: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]
    weight: int


PROFILES = [
    Profile(
        "SY",
        "ar",
        ("en", "tr"),
        ("Ahmad", "Mohammed", "Omar", "Yousef", "Khaled", "Hassan", "Ali", "Bilal", "Karim", "Samer"),
        ("Amina", "Fatima", "Rania", "Sara", "Noor", "Hiba", "Lina", "Maryam", "Yasmin", "Reem"),
        ("Al-Hassan", "Haddad", "Khalil", "Nasser", "Saleh", "Darwish", "Mansour", "Ibrahim", "Hamdan", "Aziz"),
        22,
    ),
    Profile(
        "AF",
        "prs",
        ("fa", "ps", "en"),
        ("Mohammad", "Ahmad", "Hamid", "Mustafa", "Reza", "Javad", "Sajad", "Farhad", "Nabi", "Ali"),
        ("Zahra", "Maryam", "Fatima", "Shabnam", "Parisa", "Mahsa", "Nargis", "Sima", "Laila", "Roya"),
        ("Ahmadi", "Hosseini", "Rahimi", "Mohammadi", "Karimi", "Rezaei", "Sultani", "Jafari", "Haidari", "Nazari"),
        18,
    ),
    Profile(
        "ER",
        "ti",
        ("am", "en", "ar"),
        ("Yonas", "Daniel", "Filmon", "Semere", "Robel", "Merhawi", "Aron", "Biniam", "Efrem", "Henok"),
        ("Helen", "Senait", "Feven", "Saba", "Ruth", "Luwam", "Selam", "Winta", "Yohanna", "Eden"),
        ("Tesfay", "Gebremedhin", "Haile", "Kidane", "Berhane", "Tekle", "Ghebre", "Woldu", "Asmerom", "Yemane"),
        12,
    ),
    Profile(
        "SO",
        "so",
        ("ar", "en"),
        ("Abdi", "Mohamed", "Abdirahman", "Ahmed", "Hassan", "Yusuf", "Ismail", "Abdullahi", "Omar", "Liban"),
        ("Hodan", "Fadumo", "Ifrah", "Sagal", "Asha", "Hibo", "Ayaan", "Nasra", "Farhiya", "Ubah"),
        ("Abdi", "Farah", "Warsame", "Jama", "Osman", "Ali", "Hussein", "Mohamud", "Aden", "Nur"),
        10,
    ),
    Profile(
        "UA",
        "uk",
        ("ru", "en"),
        ("Oleksandr", "Dmytro", "Maksym", "Andrii", "Artem", "Bohdan", "Vladyslav", "Ivan", "Mykyta", "Denys"),
        ("Anastasiia", "Sofiia", "Yuliia", "Daria", "Kateryna", "Viktoriia", "Anna", "Olha", "Polina", "Mariia"),
        (
            "Kovalenko",
            "Shevchenko",
            "Bondarenko",
            "Tkachenko",
            "Kravchenko",
            "Melnyk",
            "Boiko",
            "Oliinyk",
            "Lysenko",
            "Moroz",
        ),
        10,
    ),
    Profile(
        "IQ",
        "ar",
        ("ckb", "en"),
        ("Mustafa", "Hussein", "Ali", "Haider", "Zaid", "Ammar", "Abbas", "Yasir", "Saif", "Karar"),
        ("Zainab", "Fatima", "Ruqaya", "Sara", "Huda", "Mariam", "Noor", "Duaa", "Shahad", "Rusul"),
        ("Al-Jaburi", "Kadhim", "Jasim", "Al-Saadi", "Hamid", "Rashid", "Mahdi", "Al-Tamimi", "Abbas", "Salman"),
        7,
    ),
    Profile(
        "ET",
        "am",
        ("om", "en"),
        ("Abebe", "Dawit", "Tesfaye", "Kebede", "Mulugeta", "Girma", "Solomon", "Yared", "Bereket", "Natnael"),
        ("Hanna", "Meron", "Selamawit", "Bethlehem", "Tigist", "Mahlet", "Hirut", "Liya", "Rahel", "Kalkidan"),
        ("Bekele", "Tadesse", "Alemu", "Getachew", "Mekonnen", "Assefa", "Wolde", "Desta", "Tefera", "Abera"),
        5,
    ),
    Profile(
        "TH",
        "th",
        ("en",),
        ("Somchai", "Anan", "Kittisak", "Narong", "Prasert", "Wichai", "Chaiwat", "Thanawat", "Pong", "Arthit"),
        ("Siriporn", "Nattaya", "Kanya", "Pimchanok", "Suda", "Malee", "Ploy", "Wanida", "Ratana", "Chanya"),
        ("Srisuk", "Chaiyasit", "Wongsa", "Boonmee", "Saelim", "Thongdee", "Rattana", "Kaewkla", "Panya", "Sukjai"),
        3,
    ),
    Profile(
        "SE",
        "sv",
        ("en",),
        ("Lucas", "Liam", "William", "Elias", "Noah", "Hugo", "Oliver", "Adam", "Viktor", "Filip"),
        ("Alice", "Maja", "Elsa", "Ella", "Wilma", "Ebba", "Alva", "Saga", "Olivia", "Julia"),
        (
            "Andersson",
            "Johansson",
            "Karlsson",
            "Nilsson",
            "Eriksson",
            "Larsson",
            "Olsson",
            "Persson",
            "Svensson",
            "Gustafsson",
        ),
        13,
    ),
]

STAFF_FIRST = (
    "Anna",
    "Erik",
    "Maria",
    "Johan",
    "Karin",
    "Lars",
    "Sara",
    "Peter",
    "Eva",
    "Mikael",
    "Lena",
    "Anders",
    "Nadia",
    "Samir",
    "Helena",
    "Jonas",
    "Sofia",
    "Ahmed",
    "Linda",
    "Per",
)
STAFF_LAST = (
    "Lindqvist",
    "Berg",
    "Holm",
    "Ek",
    "Strand",
    "Sandberg",
    "Nyström",
    "Lund",
    "Björk",
    "Forsberg",
    "Sjöberg",
    "Hedlund",
    "Wallin",
    "Engström",
    "Danielsson",
    "Håkansson",
    "Lindgren",
    "Axelsson",
    "Falk",
    "Nordin",
)
