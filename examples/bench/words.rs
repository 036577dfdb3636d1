//! Word tables for the synthetic portal. Every name part carries its
//! reading in hiragana and a romaji form for slugs, so a generated name,
//! its `kana` and its file name always correspond.

/// A name part: written form, reading (hiragana), romaji (for slugs).
pub type Part = (&'static str, &'static str, &'static str);

pub struct City {
    pub name: Part,
    pub prefecture: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// Area code including the leading 0 (2–4 digits).
    pub area_code: &'static str,
    /// Designated cities have wards (区); the area is `市/区`.
    pub wards: bool,
}

macro_rules! city {
    ($k:expr, $r:expr, $ro:expr, $p:expr, $lat:expr, $lon:expr, $ac:expr, $w:expr) => {
        City {
            name: ($k, $r, $ro),
            prefecture: $p,
            lat: $lat,
            lon: $lon,
            area_code: $ac,
            wards: $w,
        }
    };
}

pub const CITIES: &[City] = &[
    city!(
        "札幌市",
        "さっぽろし",
        "sapporo",
        "北海道",
        43.062,
        141.354,
        "011",
        true
    ),
    city!(
        "仙台市",
        "せんだいし",
        "sendai",
        "宮城県",
        38.268,
        140.872,
        "022",
        true
    ),
    city!(
        "さいたま市",
        "さいたまし",
        "saitama",
        "埼玉県",
        35.861,
        139.645,
        "048",
        true
    ),
    city!(
        "千葉市",
        "ちばし",
        "chiba",
        "千葉県",
        35.607,
        140.106,
        "043",
        true
    ),
    city!(
        "横浜市",
        "よこはまし",
        "yokohama",
        "神奈川県",
        35.444,
        139.638,
        "045",
        true
    ),
    city!(
        "川崎市",
        "かわさきし",
        "kawasaki",
        "神奈川県",
        35.531,
        139.703,
        "044",
        true
    ),
    city!(
        "新潟市",
        "にいがたし",
        "niigata",
        "新潟県",
        37.916,
        139.036,
        "025",
        true
    ),
    city!(
        "静岡市",
        "しずおかし",
        "shizuoka",
        "静岡県",
        34.976,
        138.383,
        "054",
        true
    ),
    city!(
        "浜松市",
        "はままつし",
        "hamamatsu",
        "静岡県",
        34.711,
        137.726,
        "053",
        true
    ),
    city!(
        "名古屋市",
        "なごやし",
        "nagoya",
        "愛知県",
        35.181,
        136.906,
        "052",
        true
    ),
    city!(
        "京都市",
        "きょうとし",
        "kyoto",
        "京都府",
        35.012,
        135.768,
        "075",
        true
    ),
    city!(
        "大阪市",
        "おおさかし",
        "osaka",
        "大阪府",
        34.694,
        135.502,
        "06",
        true
    ),
    city!(
        "堺市",
        "さかいし",
        "sakai",
        "大阪府",
        34.573,
        135.483,
        "072",
        true
    ),
    city!(
        "神戸市",
        "こうべし",
        "kobe",
        "兵庫県",
        34.690,
        135.196,
        "078",
        true
    ),
    city!(
        "岡山市",
        "おかやまし",
        "okayama",
        "岡山県",
        34.655,
        133.919,
        "086",
        true
    ),
    city!(
        "広島市",
        "ひろしまし",
        "hiroshima",
        "広島県",
        34.385,
        132.455,
        "082",
        true
    ),
    city!(
        "北九州市",
        "きたきゅうしゅうし",
        "kitakyushu",
        "福岡県",
        33.883,
        130.875,
        "093",
        true
    ),
    city!(
        "福岡市",
        "ふくおかし",
        "fukuoka",
        "福岡県",
        33.590,
        130.402,
        "092",
        true
    ),
    city!(
        "熊本市",
        "くまもとし",
        "kumamoto",
        "熊本県",
        32.803,
        130.708,
        "096",
        true
    ),
    city!(
        "名張市",
        "なばりし",
        "nabari",
        "三重県",
        34.628,
        136.108,
        "0595",
        false
    ),
    city!(
        "福山市",
        "ふくやまし",
        "fukuyama",
        "広島県",
        34.486,
        133.362,
        "084",
        false
    ),
    city!(
        "廿日市市",
        "はつかいちし",
        "hatsukaichi",
        "広島県",
        34.348,
        132.332,
        "0829",
        false
    ),
    city!(
        "旭川市",
        "あさひかわし",
        "asahikawa",
        "北海道",
        43.771,
        142.365,
        "0166",
        false
    ),
    city!(
        "松本市",
        "まつもとし",
        "matsumoto",
        "長野県",
        36.238,
        137.972,
        "0263",
        false
    ),
    city!(
        "高知市",
        "こうちし",
        "kochi",
        "高知県",
        33.559,
        133.531,
        "088",
        false
    ),
    city!(
        "那覇市",
        "なはし",
        "naha",
        "沖縄県",
        26.212,
        127.681,
        "098",
        false
    ),
];

pub const WARDS: &[Part] = &[
    ("中区", "なかく", "naka"),
    ("東区", "ひがしく", "higashi"),
    ("西区", "にしく", "nishi"),
    ("南区", "みなみく", "minami"),
    ("北区", "きたく", "kita"),
];

pub const TOWN_HEADS: &[Part] = &[
    ("桜", "さくら", "sakura"),
    ("緑", "みどり", "midori"),
    ("若葉", "わかば", "wakaba"),
    ("旭", "あさひ", "asahi"),
    ("春日", "かすが", "kasuga"),
    ("青葉", "あおば", "aoba"),
    ("松", "まつ", "matsu"),
    ("梅", "うめ", "ume"),
    ("竹", "たけ", "take"),
    ("藤", "ふじ", "fuji"),
    ("泉", "いずみ", "izumi"),
    ("栄", "さかえ", "sakae"),
    ("本", "ほん", "hon"),
    ("新", "しん", "shin"),
    ("光", "ひかり", "hikari"),
    ("曙", "あけぼの", "akebono"),
    ("日吉", "ひよし", "hiyoshi"),
    ("白鳥", "しらとり", "shiratori"),
    ("柳", "やなぎ", "yanagi"),
    ("宮", "みや", "miya"),
    ("千代", "ちよ", "chiyo"),
    ("高砂", "たかさご", "takasago"),
    ("大和", "やまと", "yamato"),
    ("錦", "にしき", "nishiki"),
    ("東雲", "しののめ", "shinonome"),
    ("花園", "はなぞの", "hanazono"),
    ("朝日", "あさひ", "asahi"),
    ("弥生", "やよい", "yayoi"),
    ("鶴見", "つるみ", "tsurumi"),
    ("野田", "のだ", "noda"),
];

pub const TOWN_TAILS: &[Part] = &[
    ("町", "まち", "machi"),
    ("台", "だい", "dai"),
    ("が丘", "がおか", "gaoka"),
    ("野", "の", "no"),
    ("原", "はら", "hara"),
    ("川", "かわ", "kawa"),
    ("橋", "ばし", "bashi"),
    ("浜", "はま", "hama"),
    ("谷", "だに", "dani"),
    ("通", "どおり", "dori"),
    ("平", "だいら", "daira"),
    ("山", "やま", "yama"),
];

/// Soft names that groups and places often take.
pub const NICKS: &[Part] = &[
    ("ひだまり", "ひだまり", "hidamari"),
    ("こもれび", "こもれび", "komorebi"),
    ("あおぞら", "あおぞら", "aozora"),
    ("いっぽ", "いっぽ", "ippo"),
    ("ゆるり", "ゆるり", "yururi"),
    ("たね", "たね", "tane"),
    ("にじいろ", "にじいろ", "nijiiro"),
    ("ぽかぽか", "ぽかぽか", "pokapoka"),
    ("ひまわり", "ひまわり", "himawari"),
    ("そよかぜ", "そよかぜ", "soyokaze"),
    ("みちくさ", "みちくさ", "michikusa"),
    ("ともしび", "ともしび", "tomoshibi"),
    ("はなみずき", "はなみずき", "hanamizuki"),
    ("つむぎ", "つむぎ", "tsumugi"),
    ("えんがわ", "えんがわ", "engawa"),
    ("よりみち", "よりみち", "yorimichi"),
];

pub const CATEGORIES: &[&str] = &[
    "ひきこもり",
    "メンタルヘルス",
    "生活困窮",
    "子育て",
    "介護",
    "就労",
    "住まい",
    "居場所",
    "食",
    "不登校",
    "社会的処方",
    "障がい",
];
pub const AUDIENCE: &[&str] = &["本人", "家族", "支援者", "誰でも", "子ども", "若者"];
pub const METHODS: &[&str] = &["電話", "メール", "来所", "訪問", "オンライン", "チャット"];

/// A kind of center: name suffix, reading, slug part, its categories.
pub struct Template {
    pub part: Part,
    pub categories: &'static [&'static str],
    pub keywords: &'static [&'static str],
}

pub const CENTER_TYPES: &[Template] = &[
    Template {
        part: (
            "ひきこもり地域支援センター",
            "ひきこもりちいきしえんせんたー",
            "hikikomori-center",
        ),
        categories: &["ひきこもり", "メンタルヘルス"],
        keywords: &[
            "ひきこもり地域支援センター",
            "8050問題",
            "家族相談",
            "訪問相談",
        ],
    },
    Template {
        part: (
            "地域包括支援センター",
            "ちいきほうかつしえんせんたー",
            "houkatsu",
        ),
        categories: &["介護", "社会的処方"],
        keywords: &["地域包括支援センター", "高齢者", "見守り", "介護保険"],
    },
    Template {
        part: (
            "こころの健康相談室",
            "こころのけんこうそうだんしつ",
            "kokoro-soudan",
        ),
        categories: &["メンタルヘルス"],
        keywords: &["こころの健康", "精神保健福祉士", "依存症", "眠れない"],
    },
    Template {
        part: (
            "生活自立相談窓口",
            "せいかつじりつそうだんまどぐち",
            "seikatsu-jiritsu",
        ),
        categories: &["生活困窮", "就労", "住まい"],
        keywords: &[
            "生活困窮者自立支援",
            "家計相談",
            "住居確保給付金",
            "就労準備",
        ],
    },
    Template {
        part: (
            "子ども家庭支援センター",
            "こどもかていしえんせんたー",
            "kodomo-katei",
        ),
        categories: &["子育て", "不登校"],
        keywords: &["子育て相談", "児童虐待", "ヤングケアラー", "ひとり親"],
    },
    Template {
        part: (
            "若者サポートステーション",
            "わかものさぽーとすてーしょん",
            "saposute",
        ),
        categories: &["就労", "ひきこもり"],
        keywords: &["サポステ", "就労支援", "職場体験", "15歳から49歳"],
    },
    Template {
        part: (
            "障がい者相談支援事業所",
            "しょうがいしゃそうだんしえんじぎょうしょ",
            "shogai-soudan",
        ),
        categories: &["障がい"],
        keywords: &["計画相談", "障害福祉サービス", "発達障害", "手帳"],
    },
    Template {
        part: (
            "居住支援相談窓口",
            "きょじゅうしえんそうだんまどぐち",
            "kyoju-shien",
        ),
        categories: &["住まい", "生活困窮"],
        keywords: &["居住支援", "住まい探し", "保証人", "見守り"],
    },
    Template {
        part: (
            "教育支援センター",
            "きょういくしえんせんたー",
            "kyoiku-shien",
        ),
        categories: &["不登校", "子育て"],
        keywords: &["適応指導教室", "不登校", "学び直し", "登校支援"],
    },
    Template {
        part: ("まちの保健室", "まちのほけんしつ", "machi-hokenshitsu"),
        categories: &["社会的処方", "介護", "子育て"],
        keywords: &["まちの保健室", "総合相談", "健康相談", "つながりづくり"],
    },
];

pub const CAFETERIA_TYPES: &[Template] = &[
    Template {
        part: ("こども食堂", "こどもしょくどう", "kodomo-shokudo"),
        categories: &["食", "子育て", "居場所"],
        keywords: &["子ども食堂", "学習支援", "食品配布"],
    },
    Template {
        part: ("みんな食堂", "みんなしょくどう", "minna-shokudo"),
        categories: &["食", "居場所", "社会的処方"],
        keywords: &["地域食堂", "多世代交流", "孤食"],
    },
    Template {
        part: ("ふれあいカフェ", "ふれあいかふぇ", "fureai-cafe"),
        categories: &["居場所", "介護", "社会的処方"],
        keywords: &["サロン", "認知症カフェ", "居場所"],
    },
    Template {
        part: ("食の場", "しょくのば", "shokunoba"),
        categories: &["食", "住まい", "生活困窮"],
        keywords: &["食の場", "居住支援", "フードパントリー"],
    },
    Template {
        part: ("親子の居場所", "おやこのいばしょ", "oyako-ibasho"),
        categories: &["居場所", "子育て", "不登校"],
        keywords: &["親子カフェ", "不登校", "フリースペース"],
    },
];

/// Organization name shapes: (prefix before, suffix after the place part,
/// reading of the suffix, slug part, categories, keywords).
pub struct OrgShape {
    pub legal: &'static str,
    pub tail: Part,
    pub categories: &'static [&'static str],
    pub keywords: &'static [&'static str],
}

pub const ORG_SHAPES: &[OrgShape] = &[
    OrgShape {
        legal: "",
        tail: ("家族会", "かぞくかい", "kazokukai"),
        categories: &["ひきこもり", "居場所"],
        keywords: &["家族会", "親の会", "8050問題"],
    },
    OrgShape {
        legal: "特定非営利活動法人 ",
        tail: ("居場所ネットワーク", "いばしょねっとわーく", "ibasho-net"),
        categories: &["居場所", "ひきこもり", "不登校"],
        keywords: &["居場所", "フリースペース", "ピアサポート"],
    },
    OrgShape {
        legal: "",
        tail: ("当事者会", "とうじしゃかい", "tojishakai"),
        categories: &["ひきこもり", "メンタルヘルス"],
        keywords: &["当事者会", "自助グループ", "ピアサポート"],
    },
    OrgShape {
        legal: "NPO法人 ",
        tail: ("フードバンク", "ふーどばんく", "foodbank"),
        categories: &["食", "生活困窮"],
        keywords: &["フードバンク", "フードドライブ", "食品寄付"],
    },
    OrgShape {
        legal: "一般社団法人 ",
        tail: ("つながりサポート", "つながりさぽーと", "tsunagari-support"),
        categories: &["社会的処方", "居場所", "就労"],
        keywords: &["リンクワーカー", "社会的処方", "伴走支援"],
    },
    OrgShape {
        legal: "社会福祉法人 ",
        tail: ("福祉会", "ふくしかい", "fukushikai"),
        categories: &["障がい", "就労", "介護"],
        keywords: &["就労継続支援", "グループホーム", "生活介護"],
    },
    OrgShape {
        legal: "NPO法人 ",
        tail: ("子ども応援団", "こどもおうえんだん", "kodomo-oendan"),
        categories: &["子育て", "食", "不登校"],
        keywords: &["子ども食堂", "学習支援", "子どもの貧困"],
    },
];

/// Event name shapes: (before place, after place, reading, slug part).
pub struct EventShape {
    pub head: Part,
    pub tail: Part,
    /// Whether the place part is the city (else the town).
    pub city_level: bool,
    pub categories: &'static [&'static str],
    pub keywords: &'static [&'static str],
}

pub const EVENT_SHAPES: &[EventShape] = &[
    EventShape {
        head: (
            "ひきこもり支援フォーラム in ",
            "ひきこもりしえんふぉーらむいん",
            "hikikomori-forum",
        ),
        tail: ("", "", ""),
        city_level: true,
        categories: &["ひきこもり", "居場所"],
        keywords: &["フォーラム", "講演会", "支援ネットワーク"],
    },
    EventShape {
        head: ("", "", ""),
        tail: ("家族セミナー", "かぞくせみなー", "kazoku-seminar"),
        city_level: false,
        categories: &["ひきこもり", "メンタルヘルス"],
        keywords: &["家族セミナー", "家族教室", "CRAFT"],
    },
    EventShape {
        head: ("居場所体験会 ", "いばしょたいけんかい", "ibasho-taikenkai"),
        tail: ("", "", ""),
        city_level: false,
        categories: &["居場所", "ひきこもり", "不登校"],
        keywords: &["居場所", "体験会", "見学"],
    },
    EventShape {
        head: (
            "8050問題 研修会 ",
            "はちまるごーまるもんだいけんしゅうかい",
            "8050-kenshukai",
        ),
        tail: ("", "", ""),
        city_level: true,
        categories: &["ひきこもり", "介護"],
        keywords: &["8050問題", "研修会", "支援者向け"],
    },
    EventShape {
        head: ("", "", ""),
        tail: (
            "フードバンク ボランティア説明会",
            "ふーどばんくぼらんてぃあせつめいかい",
            "foodbank-volunteer",
        ),
        city_level: true,
        categories: &["食", "生活困窮"],
        keywords: &["ボランティア", "フードバンク", "説明会"],
    },
    EventShape {
        head: (
            "不登校の親の集い ",
            "ふとうこうのおやのつどい",
            "futoko-tsudoi",
        ),
        tail: ("", "", ""),
        city_level: false,
        categories: &["不登校", "子育て"],
        keywords: &["不登校", "親の会", "茶話会"],
    },
    EventShape {
        head: (
            "オンライン交流会 ",
            "おんらいんこうりゅうかい",
            "online-koryukai",
        ),
        tail: ("", "", ""),
        city_level: true,
        categories: &["居場所", "ひきこもり", "メンタルヘルス"],
        keywords: &["オンライン", "交流会", "顔出しなし"],
    },
    EventShape {
        head: ("", "", ""),
        tail: ("まちあるき", "まちあるき", "machiaruki"),
        city_level: false,
        categories: &["社会的処方", "居場所"],
        keywords: &["まちあるき", "散歩", "地域交流"],
    },
];

/// Page topics: (title, slug part).
pub const PAGE_TOPICS: &[(&str, &str)] = &[
    ("ひきこもりについて", "about-hikikomori"),
    ("ご家族の方へ", "for-families"),
    ("相談の流れ", "how-to-consult"),
    ("よくある質問", "faq"),
    ("居場所とは", "what-is-ibasho"),
    ("子ども食堂を知る", "about-kodomo-shokudo"),
    ("8050問題とは", "about-8050"),
    ("社会的処方とは", "about-social-prescribing"),
    ("支援者の方へ", "for-supporters"),
    ("用語集", "glossary"),
];

pub const ACCESSIBILITY: &[&str] = &[
    "車いす可",
    "段差なし",
    "エレベーターあり、車いす可",
    "駐車場あり",
    "筆談対応",
    "手話通訳あり(要予約)",
    "多目的トイレあり",
];

pub const LANGUAGE_SETS: &[&[&str]] = &[
    &["日本語"],
    &["日本語"],
    &["日本語", "やさしい日本語"],
    &["日本語", "English"],
    &["日本語", "English", "中文", "Tiếng Việt"],
    &["日本語", "Português", "Español"],
];

pub const HOURS_NOTES: &[&str] = &[
    "土日祝・年末年始は休み",
    "来所・訪問は予約制です",
    "祝日は休み。年末年始は12月29日から1月3日まで休み",
    "第5週はお休みです",
    "電話は受付時間内におかけください",
];

pub const RULE_NOTES: &[&str] = &[
    "電話受付",
    "家族相談の日",
    "夜間相談(予約制)",
    "女性スタッフが対応",
    "オンライン相談",
];

pub const REGISTRATION_TEXTS: &[&str] = &[
    "電話で前日までにお申し込みください",
    "当日参加も可。事前にご連絡いただけると助かります",
    "メールでお名前(ニックネーム可)と人数をお知らせください",
    "申し込み不要です",
];

pub const FEES: &[(&str, bool)] = &[
    ("無料", true),
    ("無料", true),
    ("子ども無料・大人300円", false),
    ("1回500円(資料代)", false),
    ("参加費200円(お茶代)", false),
];

pub const GENERIC_KEYWORDS: &[&str] = &[
    "相談",
    "無料相談",
    "匿名可",
    "予約不要",
    "オンライン相談",
    "ピアサポート",
    "家族支援",
    "居場所",
    "地域",
    "ボランティア",
];

/// Sentences for bodies. `{name}`, `{town}`, `{city}`, `{ward}` are
/// filled in per entry.
pub const OPENINGS: &[&str] = &[
    "{name}は、{city}{ward}{town}にある身近な相談先です。",
    "{name}では、ご本人だけでなく、ご家族や身近な方からの相談も受けています。",
    "{city}{ward}の{town}地区を中心に、地域の方といっしょに活動しています。",
    "「何から話せばいいかわからない」という段階でもかまいません。",
    "はじめての方も、以前に相談したことがある方も、どうぞ気軽にご連絡ください。",
    "{name}は、困りごとを抱えた方が安心して立ち寄れる場所をめざしています。",
];

pub const MIDDLES: &[&str] = &[
    "お話をうかがったうえで、必要に応じて医療機関や就労支援、居場所など地域の支援先をご案内します。",
    "お名前を言わずに相談することもできます。",
    "秘密は守られます。ご本人の同意なく、ほかの機関に情報を伝えることはありません。",
    "来所がむずかしい方には、電話やメール、オンラインでの相談もご用意しています。",
    "長くひきこもりの状態が続いている方や、親御さんが高齢になって今後が心配という方のご相談も多く受けています。",
    "10代から中高年まで、年齢は問いません。",
    "家計や暮らしのことで困っているときは、区の相談窓口をご紹介することもできます。",
    "同じ悩みを持つ方どうしがつながれるよう、スタッフも応援しています。",
    "食事のあとは、学生ボランティアが宿題を見てくれる学習コーナーもあります。",
    "活動は、地域の皆さんからの寄付とボランティアに支えられています。",
    "予約は不要です。食物アレルギーのある方は、はじめて来るときにスタッフに声をかけてください。",
    "専門の相談員(社会福祉士・精神保健福祉士など)が対応します。",
    "ご本人が来られなくても、ご家族だけの相談から始めることができます。",
    "年に数回、支援者向けの研修会や、地域の方向けの講演会もひらいています。",
];

pub const LIST_ITEMS: &[&str] = &[
    "電話相談(受付時間内)",
    "メール相談(返信に数日かかることがあります)",
    "来所相談(予約制)",
    "訪問相談(ご自宅などにうかがいます)",
    "オンライン相談(Zoom、顔出しなしでも可)",
    "ご家族向けの学習会",
    "当事者どうしの交流会",
    "就労体験やボランティア体験の紹介",
    "食品の持ち帰り(フードパントリー)",
    "宿題や学び直しのサポート",
    "医療機関・福祉サービスへのつなぎ",
    "住まい探しの同行",
];

pub const HEADINGS: &[&str] = &[
    "相談できること",
    "活動の内容",
    "はじめての方へ",
    "こんなときにご相談ください",
    "参加のしかた",
    "ご家族の方へ",
];

pub const QUESTIONS: &[(&str, &str)] = &[
    (
        "本人が行きたがらないのですが。",
        "ご家族だけのご相談でも大丈夫です。まずはご家族のお話をうかがいます。",
    ),
    (
        "費用はかかりますか。",
        "相談は無料です。行事によっては材料費などをいただくことがあります。",
    ),
    (
        "名前を言わなくてもいいですか。",
        "はい。ニックネームや匿名でのご相談も受けています。",
    ),
    (
        "途中で帰ってもいいですか。",
        "もちろんです。ご自分のペースで過ごしてください。",
    ),
];
