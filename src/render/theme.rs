//! The theme: Tera templates and static assets. The default theme is built
//! into the binary; an org may name its own (`theme:` in org.yaml, found in
//! `themes/<name>/`), and any single file in the org's `templates/` or
//! `static/` overrides the theme's file of the same name.

use std::collections::BTreeMap;

use crate::source::Source;

use crate::embedded::DEFAULT_THEME;

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error(
        "theme `{0}` not found: expected a folder themes/{0}/ with templates/ in the repository"
    )]
    NotFound(String),
    #[error("template {file}: {message}")]
    Template { file: String, message: String },
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
}

/// Compiled templates and the static files of the theme.
pub struct Theme {
    pub tera: tera::Tera,
    /// Site path → bytes, for the theme's own static files.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Language code → the YAML text of its words.
    /// Language code → the YAML texts of its words, in layers: the default
    /// theme's, then the org theme's, then the org's own `i18n/` (later
    /// layers override single words, never the whole file).
    pub i18n: BTreeMap<String, Vec<String>>,
    /// A digest of every template's text: what a cached page was rendered with.
    pub digest: [u8; 32],
}

impl Theme {
    /// The words of `language`, English filling the gaps.
    pub fn words(&self, language: &str) -> super::i18n::Words {
        let layers = |l: &str| {
            self.i18n
                .get(l)
                .map(|v| v.iter().map(String::as_str).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        super::i18n::Words::new(language, &layers(language), &layers("en"))
    }

    /// Loads the default theme, then the org's theme and overrides from
    /// `source`. Filters are registered before templates, as Tera 2 wants.
    /// `paths` are the repository's files (as loading found them; the
    /// theme's are among them), so that the repository is not walked again.
    pub fn load<'p>(
        source: &dyn Source,
        name: Option<&str>,
        paths: impl IntoIterator<Item = &'p String>,
    ) -> Result<Theme, ThemeError> {
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut assets: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut i18n: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (path, bytes) in DEFAULT_THEME {
            add(
                &mut templates,
                &mut assets,
                &mut i18n,
                path,
                bytes.to_vec(),
                &format!("(default theme) {path}"),
            );
        }
        let prefix = name
            .filter(|n| *n != "default")
            .map(|name| format!("themes/{name}/"));
        let mut files: Vec<&String> = paths
            .into_iter()
            .filter(|p| {
                p.starts_with("templates/")
                    || p.starts_with("i18n/")
                    || prefix.as_ref().is_some_and(|x| p.starts_with(x.as_str()))
            })
            .collect();
        files.sort();
        if let (Some(name), Some(prefix)) = (name, &prefix) {
            let mut found = false;
            for path in files.iter().filter(|p| p.starts_with(prefix.as_str())) {
                found = true;
                let rel = &path[prefix.len()..];
                add(
                    &mut templates,
                    &mut assets,
                    &mut i18n,
                    rel,
                    source.read(path)?,
                    path,
                );
            }
            if !found {
                return Err(ThemeError::NotFound(name.to_string()));
            }
        }
        for path in files
            .iter()
            .filter(|p| p.starts_with("templates/") || p.starts_with("i18n/"))
        {
            add(
                &mut templates,
                &mut assets,
                &mut i18n,
                path,
                source.read(path)?,
                path,
            );
        }
        for (lang, text) in i18n.iter().flat_map(|(l, v)| v.iter().map(move |t| (l, t))) {
            if let Err((line, col, message)) = crate::load::yaml::parse(text, 0) {
                return Err(ThemeError::Template {
                    file: format!("i18n/{lang}.yaml:{line}:{col}"),
                    message,
                });
            }
        }
        let mut tera = tera::Tera::new();
        let mut list: Vec<(String, String)> = Vec::new();
        for (name, (_, text)) in &templates {
            list.push((name.clone(), text.clone()));
        }
        tera.add_raw_templates(list).map_err(|e| {
            let message = e.to_string();
            let file = templates
                .iter()
                .find(|(n, _)| message.contains(n.as_str()))
                .map(|(_, (origin, _))| origin.clone())
                .unwrap_or_else(|| "templates".into());
            ThemeError::Template { file, message }
        })?;
        let digest = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            for (name, (_, text)) in &templates {
                h.update(name.as_bytes());
                h.update([0]);
                h.update(text.as_bytes());
            }
            h.finalize().into()
        };
        Ok(Theme {
            tera,
            assets,
            i18n,
            digest,
        })
    }
}

fn add(
    templates: &mut BTreeMap<String, (String, String)>,
    assets: &mut BTreeMap<String, Vec<u8>>,
    i18n: &mut BTreeMap<String, Vec<String>>,
    rel: &str,
    bytes: Vec<u8>,
    origin: &str,
) {
    if let Some(name) = rel.strip_prefix("templates/") {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        templates.insert(name.to_string(), (origin.to_string(), text));
    } else if let Some(name) = rel.strip_prefix("static/") {
        assets.insert(name.to_string(), bytes);
    } else if let Some(lang) = rel
        .strip_prefix("i18n/")
        .and_then(|n| n.strip_suffix(".yaml"))
    {
        i18n.entry(lang.to_string())
            .or_default()
            .push(String::from_utf8_lossy(&bytes).into_owned());
    }
}
