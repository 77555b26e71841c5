//! Who the demo members are: regions and cities, age bands, genders,
//! occupations, education and names, picked from these pools.

pub(super) const REGIONS: [(&str, &[&str]); 5] = [
    ("East", &["Shanghai", "Hangzhou", "Nanjing", "Suzhou"]),
    ("North", &["Beijing", "Tianjin", "Shijiazhuang"]),
    ("South", &["Guangzhou", "Shenzhen", "Xiamen"]),
    ("West", &["Chengdu", "Chongqing", "Xi'an"]),
    ("Central", &["Wuhan", "Changsha", "Zhengzhou"]),
];
pub(super) const AGE_BANDS: [&str; 6] = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"];
pub(super) const GENDERS: [&str; 3] = ["female", "male", "undisclosed"];
pub(super) const OCCUPATIONS: [&str; 6] = [
    "office",
    "professional",
    "student",
    "service",
    "self-employed",
    "retired",
];
pub(super) const EDUCATION: [&str; 4] = ["secondary", "vocational", "bachelor", "postgraduate"];
pub(super) const SURNAMES: [&str; 12] = [
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
];
pub(super) const GIVEN: [&str; 16] = [
    "Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jun", "Hui", "Tao", "Xin", "Ping", "Hao", "Ling",
    "Qiang", "Mei", "Yu",
];
