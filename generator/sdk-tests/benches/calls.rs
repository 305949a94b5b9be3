//! What the SDK costs per call: the same small JSON GETs through the Wegly SDK (one empty hook
//! registered, tracing compiled in with no subscriber) and through a plain `reqwest::Client`
//! that decodes the same JSON into the same model with serde, against a minimal hyper server in
//! a child process. The two are measured side by side, interleaved over several rounds,
//! sequentially and 64 at a time; then each variant runs alone in a child process of its own,
//! which reports its peak memory (`VmHWM`). Printed: the median time per call of each, their
//! ratio, and the median of the rounds' own ratios (each round runs the two back to back).
//! `calls --child sdk-bare 64 http://ADDR` (against `calls --serve`) runs the SDK without the
//! hook and without a deadline, to tell their cost apart when profiling.
//!
//! Run with `cargo xtask bench calls` (or `cargo bench -p wegly-sdk-tests --bench calls`). The
//! target: the SDK at most 1.1 times plain reqwest's time per call, and within 10 % of its peak
//! memory. It is not part of `cargo xtask test`: timings belong to a benchmark, not a test.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use wegly::models::UnreadSummary;
use wegly::reqwest;

/// Calls per measured run.
const CALLS: usize = 10_000;
/// Interleaved rounds; the medians are over these.
const ROUNDS: usize = 9;
/// Calls in flight at once in the concurrent runs.
const CONCURRENCY: usize = 64;
/// The server's answer: the spec's unread summary.
const BODY: &str = r#"{"unread_messages_total":42,"unread_chats_total":7}"#;
const PATH: &str = "/integrations/external/chats/notifications/unread";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    Sdk,
    Reqwest,
    /// For finding where the SDK's time goes (`--child sdk-bare N ADDR`): no hook, no deadline.
    SdkBare,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Self::Sdk => "sdk",
            Self::Reqwest => "reqwest",
            Self::SdkBare => "sdk-bare",
        }
    }
}

/// A hook that does nothing: what every registered hook costs at least.
struct Empty;

impl wegly::Hook for Empty {}

/// One of the two clients, ready to call the server.
#[derive(Clone)]
enum Caller {
    Sdk(wegly::Client),
    Reqwest(reqwest::Client, Arc<str>),
}

impl Caller {
    fn new(variant: Variant, base: &str) -> Self {
        match variant {
            Variant::Sdk => {
                let client = wegly::Client::builder("bench-token")
                    .base_url(base)
                    .hook(Empty)
                    .build()
                    .expect("an SDK client");
                Self::Sdk(client)
            }
            Variant::SdkBare => {
                let client = wegly::Client::builder("bench-token")
                    .base_url(base)
                    .timeout(Duration::MAX)
                    .build()
                    .expect("an SDK client");
                Self::Sdk(client)
            }
            Variant::Reqwest => {
                let client = reqwest::Client::builder().build().expect("a reqwest client");
                Self::Reqwest(client, format!("{base}{PATH}").into())
            }
        }
    }

    async fn call(&self) -> UnreadSummary {
        match self {
            Self::Sdk(client) => client.chats().get_unread_summary().await.expect("an answer"),
            Self::Reqwest(client, url) => {
                let response = client
                    .get(&**url)
                    .header(reqwest::header::AUTHORIZATION, "Bearer bench-token")
                    .header(reqwest::header::ACCEPT, "application/json")
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .expect("an answer");
                let body = response.bytes().await.expect("a body");
                serde_json::from_slice(&body).expect("the summary")
            }
        }
    }
}

/// Makes `CALLS` calls, `concurrency` at a time; returns the time per call.
async fn run(caller: &Caller, concurrency: usize) -> Duration {
    let started = Instant::now();
    if concurrency == 1 {
        for _ in 0..CALLS {
            std::hint::black_box(caller.call().await);
        }
    } else {
        let next = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                let (caller, next) = (caller.clone(), Arc::clone(&next));
                tokio::spawn(async move {
                    while next.fetch_add(1, Ordering::Relaxed) < CALLS {
                        std::hint::black_box(caller.call().await);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.expect("a worker");
        }
    }
    started.elapsed() / u32::try_from(CALLS).expect("few calls")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime")
}

/// The server: answers every request with `BODY`, over HTTP/1.1 keep-alive; prints its address.
fn serve() {
    use http_body_util::Full;
    use hyper::service::service_fn;
    use hyper_util::rt::TokioIo;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        println!("{}", listener.local_addr().expect("an address"));
        loop {
            let (stream, _) = listener.accept().await.expect("a connection");
            tokio::spawn(async move {
                let service = service_fn(|_request| async {
                    let response = hyper::Response::builder()
                        .header("content-type", "application/json")
                        .body(Full::new(bytes::Bytes::from_static(BODY.as_bytes())))
                        .expect("a response");
                    Ok::<_, std::convert::Infallible>(response)
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

/// The peak resident memory of this process in KiB (`VmHWM`).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmHWM line")
}

/// A child process: one variant, one run (after a warm-up), then its peak memory on stdout.
fn child(variant: Variant, concurrency: usize, base: &str) {
    let runtime = runtime();
    runtime.block_on(async {
        let caller = Caller::new(variant, base);
        for _ in 0..100 {
            caller.call().await;
        }
        run(&caller, concurrency).await;
    });
    println!("{}", peak_kib());
}

fn start_server() -> (Child, String) {
    let exe = std::env::current_exe().expect("this benchmark's path");
    let mut server =
        Command::new(exe).arg("--serve").stdout(Stdio::piped()).spawn().expect("the server process starts");
    let mut line = String::new();
    let stdout = server.stdout.take().expect("the server's stdout");
    BufReader::new(stdout).read_line(&mut line).expect("the server's address");
    (server, format!("http://{}", line.trim()))
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["--serve"] => return serve(),
        ["--child", variant, concurrency, base] => {
            let variant = match *variant {
                "sdk" => Variant::Sdk,
                "sdk-bare" => Variant::SdkBare,
                _ => Variant::Reqwest,
            };
            return child(variant, concurrency.parse().expect("a number"), base);
        }
        _ => {}
    }
    let (mut server, base) = start_server();
    let runtime = runtime();
    let variants = [Variant::Sdk, Variant::Reqwest];
    let callers: Vec<Caller> = variants.iter().map(|variant| Caller::new(*variant, &base)).collect();
    // Warm-up: connections open, allocator and caches settled.
    runtime.block_on(async {
        for caller in &callers {
            run(caller, CONCURRENCY).await;
        }
    });
    println!("{CALLS} GETs of {PATH} ({} bytes) per run, {ROUNDS} rounds, interleaved", BODY.len());
    let mut rows = Vec::new();
    for concurrency in [1, CONCURRENCY] {
        let mut times: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
        for round in 0..ROUNDS {
            // Alternate who goes first, so neither always runs on a warmer machine.
            let order: [usize; 2] = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for index in order {
                let time = runtime.block_on(run(&callers[index], concurrency));
                times[index].push(time);
            }
        }
        // Each round's two runs are next to each other in time: their ratio is the least
        // disturbed by what else the machine does.
        let mut ratios: Vec<f64> = times[0]
            .iter()
            .zip(&times[1])
            .map(|(sdk, plain)| sdk.as_secs_f64() / plain.as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        let [sdk, plain] = times.map(median);
        rows.push((concurrency, sdk, plain, ratios[ratios.len() / 2]));
    }
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{:<22}{:>14}{:>16}{:>8}{:>14}",
        "time per call", "sdk µs", "reqwest µs", "ratio", "round ratio"
    );
    for (concurrency, sdk, plain, ratio) in &rows {
        let label =
            if *concurrency == 1 { "sequential".to_owned() } else { format!("{concurrency} at a time") };
        println!(
            "{label:<22}{:>14.2}{:>16.2}{:>8.3}{:>14.3}",
            us(*sdk),
            us(*plain),
            us(*sdk) / us(*plain),
            ratio
        );
    }
    drop(callers);
    let exe = std::env::current_exe().expect("this benchmark's path");
    println!("{:<22}{:>14}{:>16}{:>8}", "peak memory (VmHWM)", "sdk KiB", "reqwest KiB", "ratio");
    for concurrency in [1, CONCURRENCY] {
        let peaks: Vec<u64> = variants
            .iter()
            .map(|variant| {
                let output = Command::new(&exe)
                    .args(["--child", variant.name(), &concurrency.to_string(), &base])
                    .output()
                    .expect("the child runs");
                assert!(output.status.success(), "the {} child failed", variant.name());
                String::from_utf8_lossy(&output.stdout).trim().parse().expect("the child's peak")
            })
            .collect();
        let label =
            if concurrency == 1 { "sequential".to_owned() } else { format!("{concurrency} at a time") };
        println!("{label:<22}{:>14}{:>16}{:>8.3}", peaks[0], peaks[1], peaks[0] as f64 / peaks[1] as f64);
    }
    let _ = server.kill();
    let _ = server.wait();
}
