"""Hindi templates (Devanagari) for the demo texts, plus Hinglish ones in Latin script.

`{emoji}`, `{meh}`, `{mad}` and `{link}` are shared slots filled by `labelops.demo.texts`.
`{group}` values end in an inflecting noun (लोग, वाले), so templates use it only in the direct
case (no postposition after it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

LANGUAGE: Final = "hi"

SLOTS: Final[Mapping[str, tuple[str, ...]]] = {
    "name": (
        "राहुल",
        "प्रिया",
        "अमित",
        "नेहा",
        "रोहन",
        "पूजा",
        "विकास",
        "अंजलि",
        "सुनील",
        "कविता",
        "आरिफ़",
        "सना",
    ),
    "place": ("रामनगर", "शिवपुरी", "सदर बाज़ार", "कमला नगर", "आदर्श नगर", "स्टेशन रोड"),
    "food": (
        "छोले भटूरे",
        "पाव भाजी",
        "राजमा चावल",
        "जलेबी",
        "बिरयानी",
        "दाल मखनी",
        "मसाला चाय",
        "कढ़ी चावल",
    ),
    "team": ("रामनगर रॉयल्स", "शिवपुरी स्ट्राइकर्स", "हमारी टीम", "सदर टाइगर्स"),
    "when": ("आज", "आज सुबह", "आज रात", "इस वीकेंड"),
    "day": ("कल", "शनिवार", "अगले शुक्रवार", "इस वीकेंड"),
    "topic": (
        "शहर की मैराथन",
        "बुक फ़ेयर",
        "चैरिटी बाज़ार",
        "म्यूज़िक कॉन्सर्ट",
        "शतरंज प्रतियोगिता",
        "सफ़ाई अभियान",
    ),
    # Made-up or generic groups only.
    "group": (
        "उत्तर वाले लोग",
        "ये नए आए लोग",
        "वाल्डोरिया के लोग",
        "नदी पार वाले लोग",
        "ज़ेंटार के लोग",
        "पूरब वाले लोग",
    ),
    "insult": ("जोकर", "बेवकूफ़", "नालायक", "लूज़र", "फ़ालतू इंसान"),
    "amount": ("₹500", "₹10,000", "₹2,500", "₹1 लाख"),
    "number": ("10 हज़ार", "5,000", "50 हज़ार", "1,000"),
}

TEMPLATES: Final[Mapping[str, tuple[str, ...]]] = {
    "none.no_violation": (
        "आखिरकार {place} में {food} का स्वाद ले ही लिया। इंतज़ार करना बनता था {emoji}",
        "{when} {place} में भयंकर जाम है, थोड़ा जल्दी निकलना",
        "{when} क्या शानदार मैच था, {team} ने कमाल का खेल दिखाया {emoji}",
        "याद दिला दें: {topic} {day} से शुरू है। वहीं मिलते हैं!",
        "{place} में सुबह से बारिश हो रही है। घर बैठकर किताब पढ़ने का बढ़िया बहाना {emoji}",
        "जन्मदिन मुबारक हो {name}! तुम्हारा ये साल बहुत शानदार जाए {emoji}",
        "किसी के पास {food} की अच्छी रेसिपी है? मुझसे हर बार गड़बड़ हो जाती है",
        "यह कहना कि {group} आलसी होते हैं, सिर्फ़ पूर्वाग्रह है। इंसान को उसके काम से परखो, इलाके से नहीं।",
        "फिर से कुछ लोग नफ़रत फैला रहे हैं कि {group} ऐसे हैं, वैसे हैं। हम ऐसे नहीं हैं, बंद करो ये सब।",
        "{name} के साथ {when} {place} में घूमने गए, मौसम एकदम बढ़िया था {emoji}",
        "{when} {place} की सफ़ाई करने वाले सभी वॉलंटियर्स का दिल से शुक्रिया {emoji}",
        "{day} {topic} में कौन-कौन चल रहा है? साथ चलते हैं {emoji}",
        "{place} में नई चाय की दुकान खुली है, चाय एकदम कड़क और सस्ती {emoji}",
    ),
    "none.needs_context": (
        "वाह, {team} की फिर से हार। क्या सरप्राइज़ है 🙃",
        "{name}, मिलते ही तुझे मार डालूँगा 😂 तुझे पता है क्यों",
        "{day} वाले मैच में उनको धो डालेंगे, कोई रहम नहीं 😤",
        "वाह {name}, हमेशा की तरह कमाल का काम। सच में जीनियस हो 🙄",
        "एक और 'छोटी सी' मीटिंग, बस तीन घंटे की। ज़िंदगी कितनी हसीन है",
        "अगर इस बार भी पार्टी का मेन्यू {name} ने बनाया तो मैं नहीं आ रहा 😂",
        "हाहा {name} तुझे पता है तूने क्या किया। पूरे ग्रुप को पता है 👀",
        "हाँ बिल्कुल, {topic} ही तो इस वक़्त दुनिया की सबसे ज़रूरी चीज़ है 🙃",
    ),
    "harass.insult": (
        "{name}, तुम्हें कोई पसंद नहीं करता। पूरे {insult} हो {mad}",
        "चल निकल {name}, तेरी राय किसी ने नहीं माँगी।",
        "लो, {insult} {name} फिर आ गए {mad}",
        "पोस्ट करना बंद करो {name}, एकदम {insult} हो तुम।",
        "{name} का हर कमेंट साबित करता है कि वो असली {insult} है।",
        "सच कहूँ {name}, इस ग्रुप के सबसे बड़े {insult} तुम ही हो।",
        "{name} को देखो, ज्ञान बाँट रहे हैं। शर्म आनी चाहिए {mad}",
    ),
    "harass.threat": (
        "{name}, तुम्हें इसका पछतावा होगा। बस देखते जाओ।",
        "बोलते रहो {name}, फिर देखना क्या होता है।",
        "मुझे पता है तुम कहाँ उठते-बैठते हो, {name}। जल्द मिलते हैं।",
        "संभल के रहना {name}, ये मामला अभी खत्म नहीं हुआ।",
        "एक बार और बोल के दिखा, फिर पता चलेगा मैं क्या कर सकता हूँ।",
        "आज का दिन याद रखना {name}, इसकी कीमत चुकानी पड़ेगी।",
        "मेरे बारे में एक और पोस्ट डाली तो पछताओगे {mad}",
    ),
    "hate.stereotype": (
        "{group} सब के सब आलसी होते हैं, ये तो सबको पता है।",
        "{group} किसी काम के नहीं, कुछ भी ढंग से नहीं कर सकते।",
        "हमेशा की तरह। {group} हर बात पर शिकायत करते रहते हैं {mad}",
        "सच बोलूँ तो {group} हमारे जितने समझदार नहीं होते।",
        "ज़रूर फिर से {group} ही गड़बड़ करके गए होंगे। सब एक जैसे हैं।",
        "{group} पैसों के मामले में भरोसे लायक नहीं होते। यही सच है।",
        "{group} हमेशा इतना शोर क्यों मचाते हैं? बिल्कुल तमीज़ नहीं।",
    ),
    "hate.exclusion": (
        "{group} जहाँ से आए हैं, वहीं वापस चले जाएँ।",
        "हमें {place} में {group} नहीं चाहिए। इन्हें बाहर ही रखो।",
        "{group} इस ग्रुप में नहीं रहेंगे, बस।",
        "बाज़ार में {group} नहीं दिखने चाहिए, ये सब बर्बाद कर देते हैं।",
        "{group} यहाँ के नहीं हैं। भगाओ इन्हें।",
        "{place} में {group} किराए पर भी नहीं रहने चाहिए।",
        "नौकरियाँ पहले अपनों के लिए, {group} कहीं और जाएँ।",
    ),
    "violence.glorification": (
        "कल रात {place} में जिसने उस आदमी की पिटाई की, उसे तो मेडल मिलना चाहिए 🔥",
        "वो हमला इस साल की सबसे अच्छी चीज़ थी। करने वाले को सलाम 🔥",
        "आखिरकार किसी ने उन्हें सबक सिखा ही दिया। सब के सब हीरो हैं।",
        "{place} में हुआ दंगा देखने लायक था। ऐसा और होना चाहिए 🔥",
        "कोई कुछ भी कहे, जिसने वो गाड़ी जलाई वो लीजेंड है।",
        "ये लोग सिर्फ़ मार की भाषा समझते हैं। जिसने किया, उस पर गर्व है।",
        "{team} वाले मैच में जिन्होंने लड़ाई शुरू की, वो असली हीरो हैं",
    ),
    "self_harm.disclosure": (
        "आजकल लगता है सब छोड़ दूँ {meh}",
        "पता नहीं किसलिए कोशिश करते रहना। कुछ बदलता ही नहीं {meh}",
        "हर चीज़ से थक गई हूँ। कभी-कभी बस गायब हो जाने का मन करता है।",
        "आज फिर नींद नहीं आई। पता नहीं ऐसे कब तक चल पाऊँगा {meh}",
        "कभी-कभी लगता है मेरे बिना सब ठीक ही रहेंगे।",
        "ऑफ़िस में सबके सामने मुस्कुराती हूँ, पर अंदर से बिल्कुल खाली महसूस करती हूँ।",
        "मैं दिखना बंद कर दूँ तो भी शायद किसी को फ़र्क नहीं पड़ेगा {meh}",
    ),
    "spam.spam": (
        "🔥 सिर्फ़ 24 घंटे में पाएँ {number} फ़ॉलोअर्स! 100% असली, अभी क्लिक करें {link}",
        "क्रिप्टो गिवअवे 🚀 पहले 100 लोगों को {amount} मुफ़्त, पूरी जानकारी के लिए {link}",
        "घर बैठे रोज़ कमाएँ {amount}, कोई अनुभव ज़रूरी नहीं!!! {link}",
        "फ़ॉलो के बदले फ़ॉलो? मुझे फ़ॉलो करो, तुरंत फ़ॉलो बैक मिलेगा 💯 {link}",
        "धमाकेदार सेल!!! ब्रांडेड घड़ियाँ 90% छूट पर, सिर्फ़ आज ➡️ {link}",
        "वायरल होना है? सस्ते में लाइक्स और व्यूज़ खरीदें, अभी जाएँ {link} 📈",
        "हर हफ़्ते {amount} कमाने वाले ट्रेडिंग ग्रुप से जुड़ने के लिए 'जानकारी' लिखकर मैसेज करें 💰💰 {link}",
    ),
    "fraud.scam": (
        "संदिग्ध गतिविधि के कारण आपका खाता बंद कर दिया गया है। "
        "खाता दोबारा चालू करने के लिए अपना पासवर्ड भेजें।",
        "सुरक्षा सूचना: 24 घंटे के अंदर अपना कार्ड वेरिफ़ाई करें, वरना आपका खाता बंद हो जाएगा। लिंक: {link}",
        "बधाई हो {name}! आपने {amount} का गिफ़्ट कार्ड जीता है। इसे पाने के लिए छोटी सी फ़ीस भरें: {link}",
        "नमस्ते, हम सपोर्ट टीम से बोल रहे हैं। आपके फ़ोन पर अभी आया 6 अंकों का कोड "
        "हमें भेज दीजिए ताकि आपका खाता ठीक हो सके।",
        "आपका पार्सल रुका हुआ है। अपना पता और कार्ड की जानकारी यहाँ कन्फ़र्म करें: {link}",
        "ज़रूरी सूचना: आपके खाते में नए डिवाइस से लॉगिन हुआ है। खाता बचाने के लिए तुरंत यहाँ लॉगिन करें: {link}",
        "हाय {name}, मैं विदेश में फँस गया हूँ और मेरा बटुआ खो गया। "
        "क्या तुम इस खाते में {amount} भेज सकते हो? कल लौटा दूँगा",
    ),
}

# Hinglish: Hindi–English code-mixing written in Latin script, as it is usually typed.
MIXED_SLOTS: Final[Mapping[str, tuple[str, ...]]] = {
    "name": ("Rahul", "Priya", "Amit", "Neha", "Rohan", "Pooja", "Vikas", "Anjali"),
    "place": ("Ramnagar", "Shivpuri", "Sadar Bazaar", "Kamla Nagar", "Station Road"),
    "food": ("chole bhature", "golgappe", "pav bhaji", "aloo paratha", "masala dosa"),
    "team": ("Ramnagar Royals", "Shivpuri Strikers", "hamari team", "Sadar Tigers"),
    "when": ("aaj", "aaj subah", "aaj raat", "is weekend"),
    "group": ("north wale log", "ye naye aaye log", "Valdoria wale", "nadi paar wale log"),
    "insult": ("joker", "bewakoof", "loser", "nalayak"),
    "amount": ("₹500", "₹10,000", "200 USDT", "₹2,500"),
    "number": ("10k", "5,000", "50k", "1,000"),
}

MIXED_TEMPLATES: Final[Mapping[str, tuple[str, ...]]] = {
    "none.no_violation": (
        "{place} mein {food} try kiya {when}, worth it tha bro {emoji}",
        "Kya match tha {when}! {team} ne kamaal kar diya {emoji}",
        "Jo log bol rahe hain ki {group} lazy hote hain, wo bas prejudice hai. Stop it yaar.",
    ),
    "none.needs_context": (
        "{name} tu mil bas, tujhe toh main maar hi dalunga 😂 you know why",
        "Wow, ek aur 'quick' meeting, sirf 3 ghante ki. Life is so beautiful 🙃",
    ),
    "harass.insult": (
        "{name} tu pura {insult} hai, koi tujhe like nahi karta {mad}",
        "Bas kar {name}, nobody asked for your opinion. Total {insult} 🤡",
    ),
    "harass.threat": (
        "Tujhe iska pachtava hoga {name}, just wait.",
        "Aur bol {name}, phir dekh lena kya hota hai.",
    ),
    "hate.stereotype": (
        "{group} sab lazy hote hain, sabko pata hai.",
        "Honestly {group} kisi kaam ke nahi hote.",
    ),
    "hate.exclusion": (
        "{group} jahan se aaye hain wahin wapas jaayein, we don't want them here.",
        "Is group mein {group} allowed nahi hain. Simple.",
    ),
    "violence.glorification": (
        "Jisne kal raat {place} mein wo fight start ki, legend hai bhai 🔥",
        "Wo attack sach mein is saal ki best cheez thi, respect to whoever did it 🔥",
    ),
    "self_harm.disclosure": (
        "Aajkal lagta hai sab chhod doon, I'm just so tired {meh}",
        "Kuch bhi change nahi hota yaar, I feel like giving up {meh}",
    ),
    "spam.spam": (
        "Sirf 24 ghante mein {number} followers paayein!! Abhi click karo {link}",
        "Crypto giveaway 🚀 free mein {amount} jeeto, abhi join karo {link}",
    ),
    "fraud.scam": (
        "Aapka account block ho gaya hai. Unlock karne ke liye apna password reply karein.",
        "Bank alert: 24 ghante mein {link} par apna card verify karein, "
        "warna account band ho jayega.",
    ),
}
