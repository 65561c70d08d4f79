//! Work on many guides at once, results in input order, with a bounded number in flight.
//!
//! A catalog may hold 100,000 guides; nothing here keeps a finished guide. Workers take the next index from a
//! shared counter, but never more than [`WINDOW_PER_JOB`] × jobs ahead of the oldest result not yet handed on,
//! so that one slow guide cannot make the reorder buffer grow without bound. Results reach `sink` on the
//! calling thread, in input order, whatever the number of jobs: output is byte-identical at every `-j`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};

use anyhow::Result;

/// How many results per job may wait for an earlier one.
const WINDOW_PER_JOB: usize = 16;

/// The number of jobs: `requested`, or one per CPU.
pub fn jobs(requested: Option<usize>) -> usize {
    match requested {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, usize::from),
    }
}

/// Calls `work(i)` for every `i` below `len` on `jobs` threads, this one included, and `sink(i, result)` in
/// order of `i` on this thread. Stops early (and returns the error) when `sink` fails; a worker's panic is
/// propagated. Inputs are named by number, so that a caller can keep them packed (see `inputs::GuideFiles`).
///
/// This thread works too, and collects the others' results between its own items without blocking: with a
/// thread that only waited for results, `-j 2` ran three threads on two cores, and every result cost a wake-up
/// (three futex calls a guide, measured with `strace -c`).
pub fn ordered<R, W, S>(len: usize, jobs: usize, work: W, mut sink: S) -> Result<()>
where
    R: Send,
    W: Fn(usize) -> R + Sync,
    S: FnMut(usize, R) -> Result<()>,
{
    if jobs <= 1 || len <= 1 {
        for i in 0..len {
            sink(i, work(i))?;
        }
        return Ok(());
    }
    let window = jobs * WINDOW_PER_JOB;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let progress = Mutex::new(Progress { emitted: 0, waiting: 0 });
    let advanced = Condvar::new();
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel::<(usize, R)>();
        for _ in 1..jobs.min(len) {
            let sender = sender.clone();
            let (next, stop, progress, advanced, work) = (&next, &stop, &progress, &advanced, &work);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= len || stop.load(Ordering::Relaxed) {
                        break;
                    }
                    {
                        let mut progress = progress.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= progress.emitted + window && !stop.load(Ordering::Relaxed) {
                            progress.waiting += 1;
                            progress = advanced.wait(progress).unwrap_or_else(|e| e.into_inner());
                            progress.waiting -= 1;
                        }
                    }
                    if stop.load(Ordering::Relaxed) || sender.send((i, work(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut ready = BTreeMap::new();
        let mut expected = 0;
        let mut result = Ok(());
        // Hands on every result that is next in order, then tells the workers how far that got.
        let mut emit = |ready: &mut BTreeMap<usize, R>, expected: &mut usize| {
            let before = *expected;
            while let Some(value) = ready.remove(expected) {
                if result.is_ok() {
                    result = sink(*expected, value);
                }
                *expected += 1;
            }
            if result.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            if *expected > before || result.is_err() {
                let mut progress = progress.lock().unwrap_or_else(|e| e.into_inner());
                progress.emitted = *expected;
                // Waking costs a system call: only when a worker waits on the window.
                if progress.waiting > 0 {
                    advanced.notify_all();
                }
            }
            result.is_ok()
        };
        let mut out_of_work = false;
        while expected < len && !stop.load(Ordering::Relaxed) {
            if !out_of_work {
                let i = next.fetch_add(1, Ordering::Relaxed);
                out_of_work = i >= len;
                if !out_of_work {
                    // Within the window like any worker: wait for earlier results first if it is too far ahead.
                    while i >= expected + window {
                        let Ok((done, value)) = receiver.recv() else { break };
                        ready.insert(done, value);
                        if !emit(&mut ready, &mut expected) {
                            break;
                        }
                    }
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    ready.insert(i, work(i));
                }
            }
            // Collect what the others finished meanwhile, without waiting; wait only when this thread has
            // nothing left to do.
            let received = if out_of_work { receiver.recv().ok() } else { receiver.try_recv().ok() };
            if let Some((done, value)) = received {
                ready.insert(done, value);
                while let Ok((done, value)) = receiver.try_recv() {
                    ready.insert(done, value);
                }
            } else if out_of_work {
                // Every worker has finished: what is left is in `ready`.
                emit(&mut ready, &mut expected);
                break;
            }
            if !emit(&mut ready, &mut expected) {
                break;
            }
        }
        drop(receiver);
        result
    })
}

/// How far results have been handed on, and how many workers wait for that to move.
struct Progress {
    emitted: usize,
    waiting: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_at_every_job_count() {
        let items: Vec<u64> = (0..500).collect();
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            ordered(
                items.len(),
                jobs,
                |i| {
                    let item = &items[i];
                    // Uneven work, so that results finish out of order.
                    if i % 7 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(300));
                    }
                    item * 2
                },
                |i, doubled| {
                    seen.push((i, doubled));
                    Ok(())
                },
            )
            .expect("no sink error");
            assert_eq!(seen, items.iter().map(|&i| (i as usize, i * 2)).collect::<Vec<_>>(), "{jobs} jobs");
        }
    }

    #[test]
    fn no_worker_runs_more_than_a_window_ahead() {
        let items: Vec<usize> = (0..2000).collect();
        let emitted = AtomicUsize::new(0);
        let furthest_ahead = AtomicUsize::new(0);
        ordered(
            items.len(),
            4,
            |i| {
                let ahead = i.saturating_sub(emitted.load(Ordering::SeqCst));
                furthest_ahead.fetch_max(ahead, Ordering::SeqCst);
                if i == 10 {
                    // One slow guide: the others must wait for it rather than pile up.
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
            },
            |i, ()| {
                emitted.store(i + 1, Ordering::SeqCst);
                Ok(())
            },
        )
        .expect("no sink error");
        assert!(furthest_ahead.load(Ordering::SeqCst) <= 4 * WINDOW_PER_JOB, "{furthest_ahead:?}");
        assert!(furthest_ahead.load(Ordering::SeqCst) > 4, "the test exercises the window");
    }

    #[test]
    fn a_failing_sink_stops_the_run() {
        let items: Vec<usize> = (0..10_000).collect();
        let worked = AtomicUsize::new(0);
        let error = ordered(
            items.len(),
            2,
            |_| {
                worked.fetch_add(1, Ordering::SeqCst);
            },
            |i, ()| if i == 5 { anyhow::bail!("disk full") } else { Ok(()) },
        )
        .expect_err("the sink's error");
        assert_eq!(error.to_string(), "disk full");
        assert!(worked.load(Ordering::SeqCst) < 1000, "work stopped soon after the error");
    }
}
