//! The default machine label: a short name built from what the browser tells about itself
//! (browser and major version from the user agent, operating system, logical cores), e.g.
//! "Chrome 156 · Linux · 2 cores", so that Run works from the first second. The user can
//! edit it; it only names the files and tells classmates' results apart.
//!
//! Nothing here is guessed beyond the user-agent string: a browser or system it does not
//! name is left out, and with nothing known the label is [`FALLBACK_LABEL`].

/// The label when the browser tells nothing usable.
pub const FALLBACK_LABEL: &str = "This browser";

/// Browsers whose user-agent token names them, most specific first: Edge, Opera, Samsung
/// Internet and the iOS wrappers all say "Chrome" or "Safari" too.
const BROWSERS: [(&str, &str); 10] = [
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("CriOS/", "Chrome"),
    ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"),
    ("HeadlessChrome/", "Headless Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
];

/// The browser and its major version named by `user_agent`, e.g. "Firefox 128".
pub fn browser_name(user_agent: &str) -> Option<String> {
    let version_after = |token: &str| {
        let start = user_agent.find(token)? + token.len();
        let major: String = user_agent[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Some(major)
    };
    for (token, name) in BROWSERS {
        if let Some(major) = version_after(token) {
            return Some(with_version(name, &major));
        }
    }
    // Safari names its version in a "Version/" token next to "Safari/".
    if user_agent.contains("Safari/") {
        return Some(with_version(
            "Safari",
            &version_after("Version/").unwrap_or_default(),
        ));
    }
    None
}

fn with_version(name: &str, major: &str) -> String {
    if major.is_empty() {
        name.to_string()
    } else {
        format!("{name} {major}")
    }
}

/// The operating system named by `user_agent`, e.g. "macOS".
pub fn os_name(user_agent: &str) -> Option<&'static str> {
    // Order matters: Android's agents say "Linux", iOS's say "like Mac OS X".
    const SYSTEMS: [(&str, &str); 8] = [
        ("Windows", "Windows"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("Linux", "Linux"),
    ];
    SYSTEMS
        .iter()
        .find(|(token, _)| user_agent.contains(token))
        .map(|(_, name)| *name)
}

/// The default label from the user agent and `navigator.hardwareConcurrency` (either may be
/// unknown): "Chrome 156 · Linux · 2 cores", or [`FALLBACK_LABEL`] when nothing is known.
pub fn default_machine_label(user_agent: Option<&str>, logical_cores: Option<u32>) -> String {
    let ua = user_agent.unwrap_or("");
    let cores = logical_cores.filter(|&n| n > 0).map(|n| {
        if n == 1 {
            "1 core".to_string()
        } else {
            format!("{n} cores")
        }
    });
    let parts: Vec<String> = [browser_name(ua), os_name(ua).map(str::to_string), cores]
        .into_iter()
        .flatten()
        .collect();
    if parts.is_empty() {
        FALLBACK_LABEL.to_string()
    } else {
        parts.join(" · ")
    }
}
