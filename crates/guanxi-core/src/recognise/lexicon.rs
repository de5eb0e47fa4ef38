//! Word lists the recogniser relies on: surnames, titles, speech verbs, suffixes and non-entities.
//! Embedded at compile time; the user dictionary (see [`super::UserDictionary`]) adds to them.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher (the Fx hash of rustc) for the lexicon's word tables, which the
/// recogniser consults per token; the keys are embedded words, not attacker-chosen.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Hash builder for [`FxHasher`].
pub type FxBuild = BuildHasherDefault<FxHasher>;

/// Surname list (resources/surnames.txt), compound surnames first, most common first.
const SURNAMES: &str = include_str!("../../resources/surnames.txt");
/// Seed gazetteer (resources/places.txt).
const PLACES: &str = include_str!("../../resources/places.txt");
/// Countries, continents, world regions, capitals and major world cities (resources/countries.txt).
const COUNTRIES: &str = include_str!("../../resources/countries.txt");
/// Administrative divisions down to township level (resources/divisions.txt, from china-division).
const DIVISIONS: &str = include_str!("../../resources/divisions.txt");

/// Titles and roles that, written right before a name, confirm it is a person (longest first
/// matters only for display: the recogniser takes the jieba token that ends with one).
pub const TITLES: &[&str] = &[
    "书记",
    "副书记",
    "总书记",
    "局长",
    "区长",
    "市长",
    "省长",
    "县长",
    "镇长",
    "乡长",
    "村长",
    "主任",
    "董事长",
    "总经理",
    "经理",
    "店长",
    "老板",
    "主席",
    "部长",
    "处长",
    "科长",
    "所长",
    "院长",
    "校长",
    "站长",
    "委员",
    "常委",
    "秘书长",
    "总理",
    "大使",
    "教授",
    "医生",
    "记者",
    "通讯员",
    "网格员",
    "管理员",
    "负责人",
    "发言人",
    "代表",
    "屋主",
    "村民",
    "居民",
    "市民",
    "老人",
    "总裁",
    "行长",
    "厅长",
    "司长",
    "队长",
    "组长",
    "会长",
    "理事长",
    "检察长",
    "法官",
    "民警",
    "主持人",
    "创始人",
    "政委",
    "司令员",
    "团长",
    "外长",
    "工程师",
    "研究员",
    "总监",
    "社长",
    "馆长",
    "主编",
    "台长",
    "董事",
    "监事",
    "副总",
    "专家",
    "律师",
    "护士",
    "教师",
    "老师",
    "总统",
    "首相",
    "议员",
    "大代",
    "运动员",
    "教练",
    "选手",
    "作家",
    "画家",
    "导演",
    "演员",
    "学生",
    "书法家",
    "博士",
    "同学",
    "先进个人",
    "党员",
    "干部",
    "职工",
    "员工",
    "志愿者",
    "警官",
    "农民",
    "司机",
    "矿长",
    "支书",
    "学员",
    "毕业生",
    "牧民",
    "院士",
    "战士",
    "小将",
    "名将",
    "好手",
    "工人",
    "厂长",
    "特使",
    "五保户",
];

/// Words that, right after a name, confirm it is a person.
pub const SPEECH_VERBS: &[&str] = &[
    "表示",
    "说",
    "强调",
    "指出",
    "告诉",
    "介绍",
    "要求",
    "认为",
    "称",
    "主持",
    "透露",
    "坦言",
    "说道",
    "提出",
    "希望",
    "谈到",
    "回忆",
    "感慨",
    "笑着",
    "解释",
    "建议",
    "呼吁",
    "补充",
    "同志",
    "先生",
    "女士",
    "教授",
    "书记",
    "主任",
    "局长",
    "前往",
    "率队",
    "带队",
    "出席",
    "参加",
    "会见",
    "考察",
    "调研",
    "视察",
    "发表",
    "指示",
    "批示",
    "讲话",
    "致辞",
    "宣布",
    "获得",
    "荣获",
    "当选",
    "担任",
    "主持召开",
    "一行",
    "等人",
    "等领导",
];

/// Characters that cannot be the last character of a two-character given name when a longer
/// reading is possible: they start what follows the name.
pub const NAME_FOLLOWERS: &str =
    "在的了和与及是说等将对为被把向从给也都就又还已要能会让带到去来、,。;:!?表指强告认称参前率出主摄";

/// Common words that jieba's dictionary tags as person names (`nr`): never a person.
pub const NOT_NAMES: &[&str] = &[
    "幸福感",
    "徐徐",
    "张贴",
    "养路工",
    "安静",
    "高峰",
    "明白",
    "武功",
    "文明",
    "和尚",
    "王朝",
    "阳光",
    "陆军",
    "道德",
    "卫星",
    "雷达",
    "太后",
    "荣誉",
    "古老",
    "丘陵",
    "言语",
    "冷笑",
    "武林",
    "明星",
    "宫殿",
    "光荣",
    "权威",
    "老太太",
    "师傅",
    "侍卫",
    "维生素",
    "帝王",
    "封锁",
    "宣言",
    "胡同",
    "玉米",
    "师兄",
    "顾问",
    "花岗岩",
    "王爷",
    "智慧",
    "王公",
    "严格遵守",
    "公共安全",
    "关怀",
    "小姐",
    "黄金",
    "金融",
    "高兴",
    "方便",
    "平安",
    "温暖",
    "常规",
    "安全感",
    "获得感",
];

/// Place suffixes: a name plus one of these is a place.
pub const PLACE_SUFFIXES: &[&str] = &[
    "自治区",
    "自治州",
    "自治县",
    "特别行政区",
    "省",
    "市",
    "区",
    "县",
    "镇",
    "乡",
    "街道",
    "村",
    "社区",
    "里",
    "路",
    "大道",
    "大街",
    "街",
    "巷",
    "港",
    "岛",
    "湾",
    "山",
    "河",
    "江",
    "湖",
];

/// Organization suffixes; the longest match wins.
pub const ORG_SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "公司",
    "集团",
    "委员会",
    "局",
    "委",
    "中心",
    "学社",
    "专班",
    "医院",
    "卫生院",
    "大学",
    "学院",
    "学校",
    "中学",
    "小学",
    "幼儿园",
    "银行",
    "协会",
    "学会",
    "商会",
    "研究院",
    "研究所",
    "办公室",
    "办",
    "部",
    "政府",
    "法院",
    "检察院",
    "党委",
    "党组",
    "支部",
    "总支",
    "工会",
    "妇联",
    "团委",
    "派出所",
    "分局",
    "大队",
    "支队",
    "中队",
    "代表队",
    "联合会",
    "基金会",
    "电视台",
    "报社",
    "出版社",
    "书画院",
    "服务队",
    "超市",
    "酒店",
    "大酒店",
    "治保会",
    "合作社",
    "事务所",
    "俱乐部",
    "联盟",
    "厂",
    "店",
    "人大",
    "政协",
    "共青团",
    "国务院",
    "新华社",
    "党中央",
    "中央",
];

/// Project suffixes: a noun phrase plus one of these is a project.
pub const PROJECT_SUFFIXES: &[&str] = &["项目", "基地", "产业园", "工业园", "科技园", "改扩建", "扩建"];

/// Whole surfaces that are never entities: generic groups, bare titles, places
/// too vague to be nodes.
pub const NON_ENTITIES: &[&str] = &[
    "江门日报",
    "江门日报讯",
    "党委",
    "政府",
    "村委会",
    "居委会",
    "社区",
    "部门",
    "公司",
    "企业",
    "单位",
    "医院",
    "学校",
    "卫生院",
    "卫生站",
    "卫生室",
    "工会",
    "妇联",
    "共青团",
    "团组织",
    "党组织",
    "中心",
    "街道",
    "全区",
    "全市",
    "全省",
    "本村",
    "该村",
    "小区",
    "园区",
    "景区",
    "城区",
    "市区",
    "项目",
    "重点项目",
    "重大项目",
    "大项目",
    "好项目",
    "产业项目",
    "新项目",
    "该项目",
    "此项目",
    "工程",
    "民心工程",
    "良心工程",
    "放心工程",
    "基地",
    "总部",
    "各区",
    "辖区",
    "片区",
    "高风险区",
    "中风险区",
    "低风险区",
    "风险区",
    "地区",
    "山区",
    "老区",
    "新区",
    "社区卫生院",
    "工业园区",
    "产业园",
    "新兴产业",
    "各街道",
    "各部门",
    "卫健部门",
    "公安部门",
    "相关部门",
    "区直机关",
    "党中央",
    "中央",
    "基层",
    "医疗卫生机构",
    "服务中心",
    "救治中心",
    "指挥部",
    "总部基地",
    "生产基地",
    "示范区",
    "一线",
    "里",
    "村",
    "镇",
    "市",
    "区",
    "县",
    "省",
    "路",
    "大道",
    "专班",
    "政法委",
    "组织部",
    "宣传部",
    "统战部",
    "区委",
    "区政府",
    "市委",
    "市政府",
    "省委",
    "省政府",
    "县委",
    "镇政府",
    "街道办",
    "外出",
    "两中心一基地",
    "网格",
    "城市",
    "农村",
    "乡村",
    "全国",
    "各地",
];

/// Prefixes that make a suffix-built place or organization generic (高风险区, 相关部门…).
pub const GENERIC_PREFIXES: &[&str] = &[
    "风险",
    "高风险",
    "中风险",
    "低风险",
    "相关",
    "有关",
    "重点",
    "所在",
    "周边",
    "附近",
    "当地",
    "各",
    "全",
    "本",
    "该",
    "此",
    "这",
    "那",
    "每",
    "整个",
    "其他",
    "多个",
    "一个",
    "两个",
    "各个",
    "主要",
    "不同",
    "辖",
    "城",
    "老",
    "新",
    "原",
    "上级",
    "下级",
    "基层",
    "属地",
    "涉疫",
    "封控",
    "管控",
    "防范",
    "隔离",
    "居住",
    "出租",
    "商业",
    "住宅",
    "工业",
    "产业",
    "示范",
    "星级",
];

/// Nickname and address-form markers: `小钟`, `老王`, `陈伯`, `李女士` are not named people.
pub const NICKNAME_PREFIXES: &[&str] = &["小", "老", "阿"];
/// Suffixes that make a surname an address form (陈伯, 李女士, 陈导 for a director).
pub const NICKNAME_SUFFIXES: &[&str] = &[
    "伯", "叔", "姨", "婶", "姐", "哥", "嫂", "女士", "先生", "老师", "师傅", "总", "某", "奶奶", "爷爷", "阿姨",
    "大爷", "大妈", "医生", "伯伯", "叔叔", "导",
];

/// A set of characters of the Basic Multilingual Plane as a bitmap (8 KiB): membership is one
/// load, where a `HashSet<char>` hashes (the recogniser asks per character).
#[derive(Debug, Clone)]
pub struct CharSet(Vec<u64>);

impl CharSet {
    /// The set of the given characters (characters outside the BMP are ignored).
    pub fn new(chars: impl IntoIterator<Item = char>) -> Self {
        let mut bits = vec![0u64; 1024];
        for c in chars {
            let code = c as usize;
            if let Some(word) = bits.get_mut(code / 64) {
                *word |= 1 << (code % 64);
            }
        }
        CharSet(bits)
    }

    /// Whether `c` is in the set.
    #[inline]
    pub fn contains(&self, c: char) -> bool {
        let code = c as usize;
        self.0.get(code / 64).is_some_and(|word| word & (1 << (code % 64)) != 0)
    }
}

/// The embedded lexicon, built once per [`super::Recogniser`].
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Surname → rank (0 = most common); compound surnames are included.
    pub surnames: HashMap<String, usize, FxBuild>,
    /// Known place names (full forms).
    pub places: HashSet<String, FxBuild>,
    /// Short form (江门) → full form (江门市) for gazetteer places whose short form is 2+ chars.
    pub place_short_forms: HashMap<String, String, FxBuild>,
    /// The hand-written seed gazetteer (resources/places.txt), a subset of `places`.
    pub seed_places: HashSet<String, FxBuild>,
    /// Non-entities, as a set.
    pub non_entities: HashSet<String, FxBuild>,
    /// `surnames` of one or two characters, by their characters (see [`Lexicon::surname_at`]).
    surname_index: SurnameIndex,
    /// The short forms of cities and provinces, and their first characters (see
    /// [`Lexicon::is_city_short_form`]): a small table, apart from the other short forms.
    city_short_forms: (HashSet<String, FxBuild>, CharSet),
}

/// Surnames of one or two characters keyed by their characters rather than their text: a look-up
/// hashes one integer and compares no string.
#[derive(Debug, Clone)]
struct SurnameIndex {
    /// The first characters of those surnames.
    first: CharSet,
    /// Rank by [`SurnameIndex::key`].
    ranks: HashMap<u64, usize, FxBuild>,
}

impl SurnameIndex {
    fn new(surnames: &HashMap<String, usize, FxBuild>) -> Self {
        let mut ranks = HashMap::default();
        let mut firsts = Vec::new();
        for (surname, &rank) in surnames {
            let mut chars = surname.chars();
            let (Some(first), second, None) = (chars.next(), chars.next(), chars.next()) else { continue };
            firsts.push(first);
            ranks.insert(Self::key(first, second), rank);
        }
        SurnameIndex { first: CharSet::new(firsts), ranks }
    }

    /// The first character in the low bits: [`FxHasher`] spreads integers by their low bits.
    fn key(first: char, second: Option<char>) -> u64 {
        u64::from(first) | (second.map_or(0, u64::from) << 32)
    }
}

impl Lexicon {
    /// Parses the embedded word lists.
    pub fn embedded() -> Self {
        let mut surnames: HashMap<String, usize, FxBuild> = HashMap::default();
        for word in SURNAMES.lines().filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace) {
            let rank = surnames.len();
            surnames.entry(word.to_string()).or_insert(rank);
        }
        let mut places: HashSet<String, FxBuild> = HashSet::default();
        let mut place_short_forms: HashMap<String, String, FxBuild> = HashMap::default();
        for line in PLACES.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            places.insert(line.to_string());
            if let Some(short) = short_form(line) {
                place_short_forms.insert(short.to_string(), line.to_string());
            }
        }
        for country in COUNTRIES.lines().filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace) {
            places.insert(country.to_string());
        }
        let seed_places = places.clone();
        // Counties, cities and provinces give short forms (石家庄 → 石家庄市), townships do not
        // (新华 from 新华镇 is too often an ordinary word). The seed list came first and wins.
        for line in DIVISIONS.lines().filter(|l| !l.starts_with('#')) {
            let mut columns = line.split('\t');
            for name in columns.by_ref().take(3).filter(|n| !n.is_empty()) {
                if places.insert(name.to_string()) {
                    if let Some(short) = short_form(name) {
                        place_short_forms.entry(short.to_string()).or_insert_with(|| name.to_string());
                    }
                }
            }
            for town in columns.flat_map(str::split_whitespace) {
                places.insert(town.to_string());
            }
        }
        let city_shorts: HashSet<String, FxBuild> = place_short_forms
            .iter()
            .filter(|(_, full)| full.ends_with(['市', '省']))
            .map(|(short, _)| short.clone())
            .collect();
        let city_short_first = CharSet::new(city_shorts.iter().filter_map(|short| short.chars().next()));
        Lexicon {
            surname_index: SurnameIndex::new(&surnames),
            city_short_forms: (city_shorts, city_short_first),
            surnames,
            places,
            seed_places,
            place_short_forms,
            non_entities: NON_ENTITIES.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Whether `word` is the short form of a city or province (江门 of 江门市, 河北 of 河北省).
    pub fn is_city_short_form(&self, word: &str) -> bool {
        // Cheap test first: most words do not begin like one.
        let (shorts, first) = &self.city_short_forms;
        word.chars().next().is_some_and(|c| first.contains(c)) && shorts.contains(word)
    }

    /// The surname at the start of `text` (compound first), with its rank.
    pub fn surname_at<'t>(&self, text: &'t str) -> Option<(&'t str, usize)> {
        let index = &self.surname_index;
        let mut chars = text.chars();
        let first = chars.next().filter(|&c| index.first.contains(c))?;
        let first_end = first.len_utf8();
        if let Some(second) = chars.next() {
            if let Some(&rank) = index.ranks.get(&SurnameIndex::key(first, Some(second))) {
                return Some((&text[..first_end + second.len_utf8()], rank));
            }
        }
        index.ranks.get(&SurnameIndex::key(first, None)).map(|&rank| (&text[..first_end], rank))
    }
}

/// The short form of a place name: 江门市 → 江门, 蓬江区 → 蓬江, 外海街道 → 外海 (two chars or more).
pub fn short_form(place: &str) -> Option<&str> {
    for suffix in
        ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "街道", "省", "市", "区", "县", "镇", "乡"]
    {
        if let Some(short) = place.strip_suffix(suffix) {
            if short.chars().count() >= 2 {
                return Some(short);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_prefer_compound() {
        let lexicon = Lexicon::embedded();
        assert_eq!(lexicon.surname_at("欧阳修").map(|s| s.0), Some("欧阳"));
        assert_eq!(lexicon.surname_at("袁加伟").map(|s| s.0), Some("袁"));
        assert_eq!(lexicon.surname_at("的确"), None);
        assert_eq!(short_form("江门市"), Some("江门"));
        assert_eq!(short_form("广西壮族自治区"), Some("广西"));
    }
}
