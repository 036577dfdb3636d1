//! The preview's background worker: after an incremental change, the
//! build's data stages (search index, calendars, feed, open data, and the
//! search assets versioned by them) are rebuilt off the path of the page
//! reload. A newer change or a full rebuild makes an older run's result
//! obsolete: it is dropped, never written.

use super::preview::EntryChange;
use super::Notice;
use crate::output::live::{read_non_html, write_if_changed};
use crate::pipeline;
use crate::site::Site;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What the background worker is told.
pub(super) enum Job {
    /// After a full rebuild: its own copy of the new site.
    Reset(Box<Site>),
    /// After an incremental rebuild: the same changes, to apply to its copy.
    Apply(Vec<EntryChange>),
}

/// The worker that rebuilds the search index and the data files after an
/// incremental change, off the path of the page reload. It keeps its own
/// copy of the site and applies the same changes to it, so the site the
/// next save changes is never shared with a run still indexing (which
/// would mean copying 10,000 entries while the editor waits).
pub(super) struct Background {
    /// Bumped by every change; a run writes only if it is still the latest.
    generation: Arc<AtomicU64>,
    /// Held while files are written into the output (by either side).
    write_lock: Arc<Mutex<()>>,
    tx: Option<Sender<(u64, Job)>>,
    /// Jobs submitted and not yet finished.
    pub(super) queued: Arc<AtomicU64>,
    notices: Sender<Notice>,
}

impl Background {
    pub(super) fn start(out: PathBuf, notices: Sender<Notice>, minify: bool) -> Background {
        let generation = Arc::new(AtomicU64::new(0));
        let write_lock = Arc::new(Mutex::new(()));
        let (tx, rx) = channel::<(u64, Job)>();
        let queued = Arc::new(AtomicU64::new(0));
        let (g, l, q) = (
            Arc::clone(&generation),
            Arc::clone(&write_lock),
            Arc::clone(&queued),
        );
        let n = notices.clone();
        let spawned = std::thread::Builder::new()
            .name("tsunagu-serve-index".into())
            .spawn(move || background_loop(rx, (out, minify), g, l, q, n));
        let tx = match spawned {
            Ok(_) => Some(tx),
            Err(e) => {
                send(&notices, Notice::Degraded(format!(
                    "cannot start the search index worker ({e}); search in the preview stays at the last full build"
                )));
                None
            }
        };
        Background {
            generation,
            write_lock,
            tx,
            queued,
            notices,
        }
    }

    /// Takes the output for writing and makes any background run obsolete.
    pub(super) fn lock_and_supersede(&self) -> std::sync::MutexGuard<'_, ()> {
        self.generation.fetch_add(1, Ordering::SeqCst);
        // A poisoned lock only means a writer panicked; the files are
        // still written atomically one by one.
        self.write_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn submit(&self, job: Job) {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some(tx) = &self.tx {
            self.queued.fetch_add(1, Ordering::SeqCst);
            if tx.send((generation, job)).is_err() {
                self.queued.fetch_sub(1, Ordering::SeqCst);
                send(
                    &self.notices,
                    Notice::Degraded(
                        "the search index worker stopped; search in the preview is not updated"
                            .into(),
                    ),
                );
            }
        }
    }
}

/// A copy of `site` (for the worker, once per full rebuild).
pub(super) fn copy_site(site: &Site) -> Site {
    Site::new(
        site.config.clone(),
        site.timezone.clone(),
        site.entries.clone(),
        site.now,
    )
}

/// `site` with `changes` applied in order, as [`Preview`] applied them.
fn apply_changes(site: Site, changes: &[EntryChange]) -> Site {
    let now = site.now;
    let Site {
        config,
        timezone,
        mut entries,
        ..
    } = site;
    for c in changes {
        if let Some(old) = &c.old {
            entries.retain(|e| e.source != old.source);
        }
        if let Some(new) = &c.new {
            entries.push(new.clone());
        }
    }
    Site::new(config, timezone, entries, now)
}

/// `target`: the preview folder, and whether the build minifies (the
/// search glue must match what the pages name).
fn background_loop(
    rx: Receiver<(u64, Job)>,
    (out, minify): (PathBuf, bool),
    generation: Arc<AtomicU64>,
    write_lock: Arc<Mutex<()>>,
    queued: Arc<AtomicU64>,
    notices: Sender<Notice>,
) {
    let mut site: Option<Site> = None;
    while let Ok(first) = rx.recv() {
        // Apply everything that is waiting, in order; index once.
        let mut batch = vec![first];
        while let Ok(next) = rx.try_recv() {
            batch.push(next);
        }
        let count = batch.len() as u64;
        let mut wanted = 0;
        let mut build = false;
        for (g, job) in batch {
            wanted = g;
            match job {
                Job::Reset(s) => {
                    // A full build wrote its own index.
                    site = Some(*s);
                    build = false;
                }
                Job::Apply(changes) => {
                    site = site.take().map(|s| apply_changes(s, &changes));
                    build = site.is_some();
                }
            }
        }
        if let (true, Some(s)) = (build, &site) {
            if let Some(notice) =
                background_job(s, wanted, (&out, minify), &generation, &write_lock)
            {
                send(&notices, notice);
            }
        }
        queued.fetch_sub(count, Ordering::SeqCst);
    }
}

/// One background run: builds the data stages' files for `site` and
/// writes them, then the search assets versioned by every non-HTML file
/// now in the preview (as a full build derives them), unless a newer
/// change came first (then `None`).
fn background_job(
    site: &Site,
    wanted: u64,
    (out, minify): (&Path, bool),
    generation: &AtomicU64,
    write_lock: &Mutex<()>,
) -> Option<Notice> {
    if generation.load(Ordering::SeqCst) != wanted {
        return None;
    }
    let started = Instant::now();
    let files = match pipeline::data_files(site) {
        Ok(f) => f,
        Err(d) => return Some(Notice::DataFailed(d.message)),
    };
    let _guard = write_lock
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if generation.load(Ordering::SeqCst) != wanted {
        return None; // a newer change or a full rebuild came first
    }
    let mut written = 0usize;
    let write = |files: &[crate::output::OutputFile], written: &mut usize| -> Result<(), String> {
        for f in files {
            if write_if_changed(out, f).map_err(|e| e.to_string())? {
                *written += 1;
            }
        }
        Ok(())
    };
    let own_paths = crate::search_assets::paths();
    let own_paths: Vec<&str> = own_paths.iter().map(String::as_str).collect();
    let assets = write(&files, &mut written)
        .and_then(|()| read_non_html(out, &own_paths).map_err(|e| e.to_string()))
        .map(|cached| pipeline::search_assets(&cached, minify))
        .and_then(|assets| write(&assets, &mut written));
    Some(match assets {
        Ok(()) => Notice::DataUpdated {
            written,
            elapsed: started.elapsed(),
        },
        Err(e) => Notice::DataFailed(e),
    })
}

/// Tells the CLI; a CLI that stopped listening has nothing to print it on.
pub(super) fn send(notices: &Sender<Notice>, notice: Notice) {
    if notices.send(notice).is_err() {
        // The receiver is gone: the server is shutting down.
    }
}
