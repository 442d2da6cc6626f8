//! A repository held in memory: for tests, fuzzing, and tools that generate
//! content without writing it to disk.

use std::collections::BTreeMap;

use super::{Skipped, Source, SourceError, SourceFile};

#[derive(Debug, Default, Clone)]
pub struct Memory {
    files: BTreeMap<String, Vec<u8>>,
}

impl Memory {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a file at a repository path.
    pub fn with(mut self, path: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.to_string(), bytes.into());
        self
    }
}

impl Source for Memory {
    fn files(&self) -> Result<(Vec<SourceFile>, Vec<Skipped>), SourceError> {
        Ok((
            self.files
                .iter()
                .map(|(p, b)| SourceFile {
                    path: p.clone(),
                    size: b.len() as u64,
                    modified: None,
                })
                .collect(),
            Vec::new(),
        ))
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| SourceError::Io {
                path: path.to_string(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "not in memory"),
            })
    }

    fn describe(&self) -> String {
        format!("in-memory repository of {} files", self.files.len())
    }
}
