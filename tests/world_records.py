"""Article records in eight scripts (written for these tests, news-like): for pages in ar, he, ja, zh-Hans,
zh-Hant, ru, hi and th, each with a story in the page's language, one covered by two outlets, and an English
story without a translation."""

from __future__ import annotations

#: lang → (headline, summary, second headline, second summary, outlet)
STORIES = {
    "ar": ("افتتاح جسر جديد فوق نهر النيل في القاهرة",
           "افتتحت الحكومة المصرية يوم الثلاثاء جسرًا جديدًا يربط ضفتي النيل، ويقول المسؤولون إنه سيخفف الزحام "
           "عن وسط المدينة. وبلغت تكلفة المشروع نحو ١٢ مليار جنيه.",
           "ارتفاع أسعار القمح في الأسواق العالمية",
           "ارتفعت أسعار القمح بنسبة ٨٪ خلال أسبوع بعد تراجع الصادرات، وفق بيانات التجار.", "الأهرام"),
    "he": ("רכבת קלה חדשה נפתחה בירושלים",
           "הקו החדש של הרכבת הקלה בירושלים נפתח ביום ראשון ויסיע כ־120 אלף נוסעים ביום, לפי משרד התחבורה.",
           "מחירי הדירות עלו ברבעון השלישי",
           "מחירי הדירות עלו ב־3% ברבעון השלישי, כך עולה מנתוני הלשכה המרכזית לסטטיסטיקה.", "הארץ"),
    "ja": ("東京で新しい地下鉄路線が開業",
           "東京都は火曜日、都心と臨海部を結ぶ新しい地下鉄路線を開業した。一日あたり約十万人の利用が見込まれている。",
           "円相場、一時1ドル150円台に",
           "外国為替市場で円が売られ、一時1ドル150円台をつけた。市場では日銀の政策への関心が高まっている。",
           "朝日新聞"),
    "zh-Hans": ("北京新开通两条地铁线路",
                "北京市周二开通两条新的地铁线路，全长约四十公里，预计每天可运送乘客三十万人次。",
                "今年粮食产量再创新高",
                "国家统计局发布数据显示，今年全国粮食总产量比去年增长百分之一点三，再创历史新高。", "人民日报"),
    "zh-Hant": ("臺北捷運新路線正式通車",
                "臺北捷運萬大線第一階段週六正式通車，市府表示，預計每日載客量將達十萬人次。",
                "颱風逼近，東部地區停班停課",
                "中央氣象署發布海上及陸上颱風警報，花蓮與臺東縣市政府宣布明日停止上班上課。", "聯合報"),
    "ru": ("В Москве открыли новую станцию метро",
           "Во вторник в Москве открылась новая станция метро на Большой кольцевой линии. По данным мэрии, ею будут "
           "пользоваться около 40 тысяч пассажиров в день.",
           "Центробанк сохранил ключевую ставку",
           "Банк России сохранил ключевую ставку на уровне 16% годовых, сообщила пресс-служба регулятора.",
           "Коммерсантъ"),
    "hi": ("दिल्ली में नई मेट्रो लाइन शुरू हुई",
           "दिल्ली मेट्रो की नई लाइन मंगलवार से यात्रियों के लिए खोल दी गई। अधिकारियों के अनुसार इससे रोज़ाना करीब "
           "दो लाख लोगों को फ़ायदा होगा।",
           "मानसून ने समय से पहले दस्तक दी",
           "मौसम विभाग ने बताया कि इस साल मानसून केरल में तय समय से तीन दिन पहले पहुँच गया।", "दैनिक भास्कर"),
    "th": ("กรุงเทพฯ เปิดรถไฟฟ้าสายใหม่",
           "กรุงเทพมหานครเปิดให้บริการรถไฟฟ้าสายสีชมพูอย่างเป็นทางการเมื่อวันอังคาร คาดว่าจะมีผู้โดยสารวันละกว่าหนึ่งแสนคน",
           "ราคาข้าวส่งออกปรับตัวสูงขึ้น",
           "สมาคมผู้ส่งออกข้าวไทยระบุว่าราคาข้าวหอมมะลิส่งออกเพิ่มขึ้นร้อยละห้าในสัปดาห์นี้", "ไทยรัฐ"),
}

ENGLISH = ("Port strike ends after a week",
           "Dock workers returned to work on Friday after a week-long strike. The union said the deal was fair and "
           "that the shipping backlog would clear within days.")


def records(lang: str) -> list[dict]:
    """Three stories for a page in `lang`: two in the language (the first carried by two outlets), one English."""
    title, summary, title2, summary2, outlet = STORIES[lang]
    return [
        {"id": f"{lang}-1", "language": lang, "title": title, "summaries": {lang: summary}, "site": outlet,
         "url": f"https://news.example/{lang}/1", "author": "Amal Haddad", "date": "2026-11-27T09:30:00+00:00",
         "cluster": "story-1", "flags": {lang: ["number not in the source: 12"]}},
        {"id": f"{lang}-1b", "language": lang, "title": title, "summaries": {lang: summary}, "site": "Reuters",
         "url": f"https://reuters.example/{lang}/1", "date": "2026-11-27T08:00:00+00:00", "cluster": "story-1"},
        {"id": f"{lang}-2", "language": lang, "title": title2, "summaries": {lang: summary2}, "site": outlet,
         "url": f"https://news.example/{lang}/2", "date": "2026-11-26T18:00:00+00:00"},
        {"id": "en-1", "language": "en", "title": ENGLISH[0], "summaries": {"en": ENGLISH[1]}, "site": "Harbour News",
         "url": "https://harbour.example/strike", "author": "Sam Reed", "date": "2026-11-26T07:00:00+00:00"},
    ]
