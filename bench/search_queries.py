"""The search benchmark's known answers: probe pages added to the generated sites, and queries.

The generated sites are random words from bench/words.py, without inflections, particles or compounds, so
each of them gets the same probe pages: short texts in each language written the way a group writes,
whose words are not in the word lists. A "compound" query's noun is on its page only as the second part
of a compound (행진 in 촛불행진을), a "compound-head" query's as the first. A query is answered when its
page is among the first 20 results (what the search page shows first), in either engine. The bundled
site's queries target its own pages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    lang: str  # the reader's language: the search page it is typed on
    text: str
    expected: str  # URL path of the page that must be found, below the site root
    category: str


PROBES = {  # (language, slug) → (title, text)
    ("ko", "candle-march"): (
        "촛불행진을 마치고",
        "토요일 저녁 시민들은 촛불행진을 이어 갔습니다. 학생들도 함께했습니다."),
    ("ko", "hunger-strike"): (
        "단식농성 열흘째",
        "활동가들이 대사관 앞에서 단식농성을 계속하고 있습니다. 응원 편지가 쌓였습니다."),
    ("ko", "petition"): (
        "온라인서명을 부탁드립니다",
        "정치범 석방을 요구하는 온라인서명에 참여해 주세요. 다음 주에 전달됩니다."),
    ("ko", "asylum"): (
        "망명신청자들의 이야기",
        "징집을 피해 온 망명신청자들이 한국에서 겪는 어려움을 들었습니다. 망명에 관한 상담도 열립니다."),
    ("ko", "conscription"): (
        "강제징집을 거부한 사람들",
        "강제징집에 반대하는 러시아 청년들이 모였습니다. 성명을 읽었습니다."),
    ("ko", "censorship"): (
        "인터넷검열이 강화되다",
        "러시아의 인터넷검열이 더 심해졌습니다. 차단을 피하는 방법을 안내합니다."),
    ("ko", "navalny"): (
        "나발니의 추모식",
        "서울에서 알렉세이 나발니(Navalny)를 기리는 추모식이 열렸습니다. 추모객들은 꽃을 놓았습니다."),
    ("ko", "nato"): (
        "NATO 확장 논쟁",
        "NATO 확장에 대한 토론회에서 전문가들이 의견을 나눴습니다."),
    ("ru", "pickets"): (
        "Одиночные пикеты у консульства",
        "Мы провели одиночные пикеты. На пикете стояли по очереди, каждый с листовкой."),
    ("ru", "hunger"): (
        "Голодовка в поддержку политзаключённых",
        "Участники голодовки требуют освободить заключённых. Голодовку поддержали сотни людей."),
    ("ru", "mobilisation"): (
        "Мобилизация и бегство",
        "После объявления мобилизации многие уехали. О мобилизованных мы пишем отдельно."),
    ("ru", "censor"): (
        "Цензура в интернете",
        "Цензуры становится больше: блокируют сайты и мессенджеры."),
    ("ru", "emigrants"): (
        "Эмигранты в Сеуле",
        "Эмигрантам помогают найти жильё. Эмиграция меняет жизнь семей."),
    ("ru", "tree"): (
        "Новогодняя ёлка для детей беженцев",
        "Дети украсили ёлку игрушками, которые прислали волонтёры."),
    ("ru", "march"): (
        "Шествие памяти Навального",
        "Шествие прошло от станции до площади; участники шествия несли цветы. 나발니 추모."),
    ("ru", "leaflets"): (
        "Листовки против войны",
        "Мы напечатали листовки на трёх языках и раздавали листовками прохожим."),
    ("en", "vigil"): (
        "A candlelight vigil in Seoul",
        "Dozens gathered for the vigils on Saturday night, holding candles."),
    ("en", "petition"): (
        "Sign the petition",
        "Our petitions ask for the release of political prisoners. Petitioning works."),
    ("en", "leaflets"): (
        "Leafleting near the station",
        "Volunteers handed out leaflets in Korean and Russian."),
    ("en", "marches"): (
        "Marches across Korea",
        "Marchers walked from the square; the march ended at the embassy."),
    ("en", "hunger"): (
        "Hunger strikers need support",
        "The hunger strike entered its tenth day."),
    ("en", "censorship"): (
        "Censorship online",
        "Censored websites and blocked messengers: how to read news anyway."),
    ("en", "conscripts"): (
        "Conscripts who refused",
        "Conscription drives young men abroad; conscripts tell their stories."),
    ("en", "navalny"): (
        "Remembering Navalny",
        "A memorial for Alexei Navalny (나발니) at Bosingak, with flowers."),
    # Added with the queries after the first 62, written before either engine was asked.
    ("ko", "bazaar"): (
        "피란민돕기 바자회",
        "피란민돕기 바자회에서 옷과 책을 팔았습니다. 수익금은 피란민 가정의 겨울나기에 보태집니다. "
        "봉제인형이 가장 인기였습니다."),
    ("ko", "kyiv-concert"): (
        "키이우 자선콘서트",
        "서울의 음악인들이 키이우(Kyiv)를 위한 자선콘서트를 열었습니다. 수익금은 구급차 구입에 쓰입니다."),
    ("ru", "deserters"): (
        "Дезертиры и отказники",
        "Отказников от мобилизации становится больше. Дезертиру грозит тюрьма; мы собираем деньги на "
        "адвокатов для дезертиров."),
    ("ru", "parcels"): (
        "Посылки для беженцев",
        "Волонтёры собрали посылки и отправили их в приграничные сёла. Каждую посылку подписали дети."),
    ("ru", "letters"): (
        "Письма Горинову",
        "Мы отправили письма Владимиру Кара-Мурзе и Алексею Горинову. Горинов получил больше ста открыток."),
    ("en", "refugees"): (
        "Refugee families find homes",
        "Volunteers helped refugee families from Ukraine rent apartments. Each family received a welcome box."),
    ("en", "kyiv"): (
        "A concert for Kyiv (키이우)",
        "Musicians played for Kyiv at a benefit concert; ticket sales bought two ambulances."),
}

PROBE_QUERIES = [  # (language, query, probe slug, category)
    ("ko", "행진", "candle-march", "compound"), ("ko", "촛불행진", "candle-march", "noun+particle"),
    ("ko", "행진을", "candle-march", "compound"), ("ko", "농성", "hunger-strike", "compound"),
    ("ko", "단식농성을", "hunger-strike", "noun+particle"), ("ko", "서명", "petition", "compound"),
    ("ko", "서명을", "petition", "compound"), ("ko", "망명", "asylum", "compound-head"),
    ("ko", "망명신청자", "asylum", "compound-head"), ("ko", "징집", "conscription", "compound"),
    ("ko", "징집에", "conscription", "compound"), ("ko", "검열", "censorship", "compound"),
    ("ko", "검열이", "censorship", "compound"), ("ko", "나발니", "navalny", "name"),
    ("ko", "나발니를", "navalny", "name"), ("ko", "추모", "navalny", "compound-head"),
    ("ko", "Navalny 추모식", "navalny", "mixed"), ("ko", "NATO 확장", "nato", "mixed"),
    ("ru", "пикет", "pickets", "inflection"), ("ru", "пикетами", "pickets", "inflection"),
    ("ru", "голодовки", "hunger", "inflection"), ("ru", "политзаключенных", "hunger", "ё/е"),
    ("ru", "мобилизацию", "mobilisation", "inflection"), ("ru", "цензура", "censor", "inflection"),
    ("ru", "цензурой", "censor", "inflection"), ("ru", "эмигранты", "emigrants", "inflection"),
    ("ru", "эмиграции", "emigrants", "inflection"), ("ru", "елка", "tree", "ё/е"),
    ("ru", "ЁЛКИ", "tree", "ё/е"), ("ru", "шествия", "march", "inflection"),
    ("ru", "Навальный", "march", "name"), ("ru", "Навальный 나발니", "march", "mixed"),
    ("ru", "листовка", "leaflets", "inflection"), ("ru", "листовки война", "leaflets", "inflection"),
    ("en", "vigil", "vigil", "plural"), ("en", "candlelight vigils", "vigil", "plural"),
    ("en", "petition", "petition", "plural"), ("en", "petitions", "petition", "plural"),
    ("en", "leaflet", "leaflets", "plural"), ("en", "march", "marches", "plural"),
    ("en", "marchers", "marches", "plural"), ("en", "hunger striker", "hunger", "plural"),
    ("en", "censored", "censorship", "plural"), ("en", "conscript", "conscripts", "plural"),
    ("en", "Navalny", "navalny", "name"), ("en", "Navalny 나발니", "navalny", "mixed"),
    ("en", "NAVALNY", "navalny", "name"),
    ("ko", "촛불", "candle-march", "compound-head"), ("ko", "온라인서명", "petition", "noun+particle"),
    ("ko", "인터넷검열", "censorship", "noun+particle"), ("ko", "단식", "hunger-strike", "compound-head"),
    ("ko", "강제징집", "conscription", "noun+particle"),
    ("ru", "пикеты", "pickets", "inflection"), ("ru", "голодовку", "hunger", "inflection"),
    ("ru", "мобилизованные", "mobilisation", "inflection"), ("ru", "эмигрантам", "emigrants", "inflection"),
    ("ru", "листовками", "leaflets", "inflection"),
    ("en", "vigils", "vigil", "plural"), ("en", "leafleting", "leaflets", "plural"),
    ("en", "strikes", "hunger", "plural"), ("en", "conscription", "conscripts", "plural"),
    ("en", "censor", "censorship", "plural"),
    ("ko", "바자회", "bazaar", "noun+particle"), ("ko", "돕기", "bazaar", "compound"),
    ("ko", "피란민", "bazaar", "compound-head"), ("ko", "인형", "bazaar", "compound"),
    ("ko", "수익금으로", "bazaar", "noun+particle"), ("ko", "겨울나기", "bazaar", "noun+particle"),
    ("ko", "콘서트", "kyiv-concert", "compound"), ("ko", "Kyiv 콘서트", "kyiv-concert", "mixed"),
    ("ko", "키이우에서", "kyiv-concert", "name"), ("ko", "구급차를", "kyiv-concert", "noun+particle"),
    ("ko", "음악인", "kyiv-concert", "noun+particle"),
    ("ru", "дезертир", "deserters", "inflection"), ("ru", "отказником", "deserters", "inflection"),
    ("ru", "тюрьмы", "deserters", "inflection"), ("ru", "посылкой", "parcels", "inflection"),
    ("ru", "приграничных", "parcels", "inflection"), ("ru", "села", "parcels", "ё/е"),
    ("ru", "Горинова", "letters", "name"), ("ru", "открытки", "letters", "inflection"),
    ("ru", "Кара-Мурза", "letters", "name"),
    ("en", "refugees", "refugees", "plural"), ("en", "apartment", "refugees", "plural"),
    ("en", "welcome boxes", "refugees", "plural"), ("en", "concerts", "kyiv", "plural"),
    ("en", "ambulance", "kyiv", "plural"), ("en", "Kyiv 키이우", "kyiv", "mixed"),
    ("en", "musician tickets", "kyiv", "plural"),
]

FOLDERS = {"ru": "", "en": "en/", "ko": "kr/"}

BUNDLED_QUERIES = [  # (language, query, expected path, category) on site/
    ("ko", "집회", "kr/meetings/2022-02-27-bosingak/", "noun+particle"),
    ("ko", "집회를", "kr/meetings/2022-02-27-bosingak/", "noun+particle"),
    ("ko", "보신각", "kr/meetings/2022-02-27-bosingak/", "name"),
    ("ko", "보신각에서", "kr/meetings/2022-02-27-bosingak/", "name"),
    ("ko", "시위", "kr/", "compound"),
    ("ko", "푸틴", "kr/", "name"), ("ko", "푸틴의", "kr/", "name"),
    ("ko", "전쟁", "kr/", "noun+particle"), ("ko", "전쟁을", "kr/", "noun+particle"),
    ("ko", "우크라이나", "kr/", "name"), ("ko", "Z 작전", "kr/", "mixed"),
    ("ru", "акциями", "meetings/2022-02-27-bosingak/", "inflection"),
    ("ru", "Посингак", "meetings/2022-02-27-bosingak/", "name"),
    ("ru", "павильоне", "meetings/2022-02-27-bosingak/", "inflection"),
    ("ru", "протесты", "", "inflection"), ("ru", "войной", "", "inflection"),
    ("ru", "Путина", "", "name"), ("ru", "режимом", "", "inflection"),
    ("en", "protests", "en/meetings/2022-02-27-bosingak/", "plural"),
    ("en", "Bosingak", "en/meetings/2022-02-27-bosingak/", "name"),
    ("en", "pavilions", "en/meetings/2022-02-27-bosingak/", "plural"),
    ("en", "regimes", "en/", "plural"), ("en", "Putin", "en/", "name"), ("en", "wars", "en/", "plural"),
    ("ko", "벨라루스인들", "kr/meetings/2022-02-27-bosingak/", "noun+particle"),
    ("ko", "종로", "kr/meetings/2022-02-27-bosingak/", "name"),
    ("ko", "침공", "kr/meetings/2022-02-27-bosingak/", "noun+particle"),
    ("ko", "목소리를", "kr/meetings/2022-02-27-bosingak/", "noun+particle"),
    ("ru", "Чонно", "meetings/2022-02-27-bosingak/", "name"),
    ("ru", "белорусов", "meetings/2022-02-27-bosingak/", "inflection"),
    ("ru", "вторжение", "meetings/2022-02-27-bosingak/", "inflection"),
    ("ru", "Украины", "meetings/2022-02-27-bosingak/", "name"),
    ("en", "Belarusian", "en/meetings/2022-02-27-bosingak/", "plural"),
    ("en", "Jongno", "en/meetings/2022-02-27-bosingak/", "name"),
    ("en", "Korean", "en/meetings/2022-02-27-bosingak/", "plural"),
    ("en", "invading", "en/meetings/2022-02-27-bosingak/", "plural"),
]


def probe_path(lang: str, slug: str) -> str:
    return f"{FOLDERS[lang]}probes/{slug}/"


def probe_files() -> dict[str, str]:
    """Site-relative source path → Markdown, for each probe page."""
    files = {}
    for (lang, slug), (title, text) in PROBES.items():
        files[f"content/{lang}/probes/{slug}.md"] = f'---\ntitle: "{title}"\ndate: 2025-06-01\n---\n\n{text}\n'
    return files


def generated_queries() -> list[Query]:
    return [Query(lang, text, probe_path(lang, slug), category) for lang, text, slug, category in PROBE_QUERIES]


def bundled_queries() -> list[Query]:
    return [Query(lang, text, path, category) for lang, text, path, category in BUNDLED_QUERIES]
