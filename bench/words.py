"""Word lists per script for the synthetic site: Cyrillic (ru), Latin (en), Hangul (ko).

Words of a diaspora group's pages (meetings, statements, help for refugees), so the text has the length,
letters and byte counts of real pages; the grammar does not matter to a build.
"""

from __future__ import annotations


def _list(text: str) -> tuple[str, ...]:
    return tuple(text.split())


RU = _list("""
война мир протест митинг свобода Россия Украина Корея Сеул Пусан площадь посольство заявление встреча
граждане участники волонтёры беженцы помощь поддержка письмо политзаключённые суд приговор арест
демократия режим пропаганда правда новости статья отчёт фотографии флаг плакат лозунг голос право
закон конституция выборы оппозиция журналист журналисты издание редакция сообщество группа город
страна народ люди дети семьи родители друзья соседи студенты работники учителя врачи художники
сегодня вчера завтра весной летом осенью зимой утром вечером днём неделя месяц год годовщина
собрались выступили написали отправили помогли собрали перевели опубликовали провели поддержали
пришли стояли говорили читали слушали спрашивали отвечали ждали решили начали продолжили закончили
важно нужно можно трудно спокойно открыто честно вместе снова всегда никогда иногда часто долго
мирный свободный открытый честный общий новый старый большой маленький первый последний каждый
русский украинский корейский английский международный городской местный публичный гражданский
вопрос ответ решение причина цель задача история память совесть надежда страх смелость солидарность
сбор пожертвования документы визы консульство адвокат переводчик организация фонд проект программа
улица парк станция метро вход выход зал комната стол окно дверь здание центр район остров берег
""")

EN = _list("""
war peace protest rally freedom Russia Ukraine Korea Seoul Busan square embassy statement meeting
citizens participants volunteers refugees help support letter prisoners court sentence arrest
democracy regime propaganda truth news article report photographs flag poster slogan voice right
law constitution elections opposition journalist journalists outlet newsroom community group city
country people children families parents friends neighbours students workers teachers doctors artists
today yesterday tomorrow spring summer autumn winter morning evening afternoon week month year anniversary
gathered spoke wrote sent helped collected translated published held supported came stood talked
read listened asked answered waited decided started continued finished marched signed shared joined
important necessary possible difficult calmly openly honestly together again always never sometimes often
peaceful free open honest common new old large small first last every each several many
Russian Ukrainian Korean English international municipal local public civic independent
question answer decision reason goal task history memory conscience hope fear courage solidarity
fundraiser donations documents visas consulate lawyer translator organisation foundation project programme
street park station subway entrance exit hall room table window door building centre district island shore
""")

KO = _list("""
전쟁 평화 시위 집회 자유 러시아 우크라이나 한국 서울 부산 광장 대사관 성명 모임 시민 참가자
자원봉사자 난민 도움 지원 편지 정치범 법원 판결 체포 민주주의 정권 선전 진실 소식 기사 보고서
사진 깃발 포스터 구호 목소리 권리 법 헌법 선거 야당 기자 언론 편집부 공동체 단체 도시 나라
국민 사람들 아이들 가족 부모 친구 이웃 학생 노동자 교사 의사 예술가 오늘 어제 내일 봄 여름
가을 겨울 아침 저녁 오후 주 달 해 기념일 모였습니다 말했습니다 썼습니다 보냈습니다 도왔습니다
모았습니다 번역했습니다 발표했습니다 열었습니다 지지했습니다 왔습니다 섰습니다 이야기했습니다
읽었습니다 들었습니다 물었습니다 답했습니다 기다렸습니다 결정했습니다 시작했습니다 계속했습니다
중요한 필요한 가능한 어려운 조용히 공개적으로 정직하게 함께 다시 항상 결코 가끔 자주 평화로운
자유로운 열린 정직한 공동의 새로운 오래된 큰 작은 첫 마지막 모든 여러 많은 러시아어 우크라이나어
한국어 영어 국제적인 지역 공공 시민의 독립적인 질문 대답 결정 이유 목표 과제 역사 기억 양심 희망
두려움 용기 연대 모금 기부 서류 비자 영사관 변호사 통역사 조직 재단 프로젝트 프로그램 거리 공원
역 지하철 입구 출구 홀 방 탁자 창문 문 건물 센터 구역 섬 해안
""")

WORDS = {"ru": RU, "en": EN, "ko": KO}

# Per language: the label of a page's own sentence, which the benchmark looks for in the output, and the
# name of each section.
LABELS = {"ru": "Материал", "en": "Item", "ko": "항목"}
EDIT_LABELS = {"ru": "Правка", "en": "Edit", "ko": "수정"}
SECTION_TITLES = {
    "ru": {"news": "Новости", "articles": "Статьи", "reports": "Отчёты", "guides": "Памятки"},
    "en": {"news": "News", "articles": "Articles", "reports": "Reports", "guides": "Guides"},
    "ko": {"news": "소식", "articles": "기사", "reports": "보고서", "guides": "안내"},
}
HOME_TITLES = {"ru": "Главная", "en": "Home", "ko": "홈"}
