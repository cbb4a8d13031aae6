//! The stdio transport: LSP framing that survives anything a client sends.
//!
//! `tower_lsp_server::Server::serve` stops reading for good after the first
//! message it cannot decode (its framed reader ends after an error), so one
//! malformed message ended the session. This loop does the same work —
//! requests to the service with at most [`CONCURRENCY`] in flight, polled in
//! arrival order so notifications keep their order; responses and the
//! server's own requests to stdout — with its own framing:
//!
//! - a body that is not JSON gets a `-32700` ParseError response (id null);
//!   JSON that is not a JSON-RPC message gets `-32600` InvalidRequest; a
//!   header block without `Content-Length` is answered the same way and
//!   skipped; a body larger than [`MAX_MESSAGE`] is read and dropped.
//! - a panic while a request or notification is handled is caught: the
//!   request gets a `-32603` InternalError response naming the method and
//!   the panic, the panic is logged, and the server keeps serving.
//! - a request the service leaves unanswered (an unknown `$/…` request) gets
//!   `-32601` MethodNotFound, as the LSP specification asks.
//! - `shutdown` is answered before the next message is read, so an `exit`
//!   sent right behind it (without waiting for the answer) still finds the
//!   server shut down; `exit` then ends the session at once, whatever is
//!   still running — a handler waiting for the client to answer a request
//!   would otherwise keep the process alive forever. At the end of input,
//!   work in flight gets [`GRACE`] to finish.

use futures::channel::mpsc;
use futures::future::{self, BoxFuture};
use futures::{join, stream, stream_select, FutureExt, SinkExt, StreamExt};
use serde_json::Value;
use std::panic::AssertUnwindSafe;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt,
};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::{ClientSocket, ExitedError};
use tower_service::Service;

/// Requests handled at the same time (as `tower_lsp_server::Server`).
const CONCURRENCY: usize = 4;
/// Requests read ahead of the ones being handled.
const QUEUE: usize = 100;
/// The largest message read; a larger one is skipped with an error.
pub const MAX_MESSAGE: usize = 256 << 20;
/// The longest header line kept; longer lines are garbage anyway.
const MAX_HEADER_LINE: u64 = 8 << 10;
/// How long work in flight may go on after the end of input.
const GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// One framed message, or why there is none.
enum Frame {
    Body(Vec<u8>),
    /// A header block that cannot be used; the reason.
    Bad(String),
    Eof,
}

/// Reads one `Content-Length`-framed message. Garbage before a header is
/// skipped: a header line is found by its `Content-Length` anywhere in it.
async fn read_frame<R: AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        let n = (&mut *r)
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            return Ok(Frame::Eof);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() && line.ends_with(b"\n") {
            if !saw_header {
                continue; // a stray blank line between messages
            }
            break;
        }
        saw_header = true;
        if let Some(at) = text.to_ascii_lowercase().find("content-length") {
            let value = text[at + "content-length".len()..].trim_start();
            let value = value.strip_prefix(':').unwrap_or(value).trim();
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|e| format!("bad Content-Length {value:?}: {e}")),
            );
        }
    }
    let length = match length {
        None => return Ok(Frame::Bad("missing Content-Length header".into())),
        Some(Err(e)) => return Ok(Frame::Bad(e)),
        Some(Ok(n)) => n,
    };
    if length > MAX_MESSAGE {
        let skipped =
            tokio::io::copy(&mut (&mut *r).take(length as u64), &mut tokio::io::sink()).await?;
        if (skipped as usize) < length {
            return Ok(Frame::Eof);
        }
        return Ok(Frame::Bad(format!(
            "message of {length} bytes is larger than {MAX_MESSAGE}"
        )));
    }
    // Grows with what arrives: a lying Content-Length allocates little.
    let mut body = Vec::with_capacity(length.min(1 << 20));
    (&mut *r).take(length as u64).read_to_end(&mut body).await?;
    if body.len() < length {
        return Ok(Frame::Eof);
    }
    Ok(Frame::Body(body))
}

enum Incoming {
    Request(Request),
    Response(Response),
}

fn error(code: ErrorCode, message: String) -> Error {
    Error {
        code,
        message: message.into(),
        data: None,
    }
}

/// A message body as a request or a response, or the error to answer with.
fn decode(body: &[u8]) -> Result<Incoming, Response> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Response::from_error(Id::Null, error(ErrorCode::ParseError, format!("{e}")))
    })?;
    let id = value
        .get("id")
        .and_then(|v| serde_json::from_value::<Id>(v.clone()).ok())
        .unwrap_or(Id::Null);
    let invalid =
        |why: String| Response::from_error(id.clone(), error(ErrorCode::InvalidRequest, why));
    let Value::Object(fields) = &value else {
        return Err(invalid("a message is a JSON object".into()));
    };
    if fields.contains_key("method") {
        serde_json::from_value(value)
            .map(Incoming::Request)
            .map_err(|e| invalid(format!("not a JSON-RPC request: {e}")))
    } else if fields.contains_key("result") || fields.contains_key("error") {
        serde_json::from_value(value)
            .map(Incoming::Response)
            .map_err(|e| invalid(format!("not a JSON-RPC response: {e}")))
    } else {
        Err(invalid("neither a request nor a response".into()))
    }
}

/// The text of a panic payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Runs one request or notification: a panic becomes an InternalError
/// response (nothing for a notification); a request left unanswered gets
/// MethodNotFound.
async fn guarded(
    fut: BoxFuture<'static, Result<Option<Response>, ExitedError>>,
    id: Option<Id>,
    method: String,
) -> Option<Response> {
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(Ok(Some(response))) => Some(response),
        Ok(Ok(None)) if method != "exit" => id.map(|id| {
            Response::from_error(
                id,
                error(
                    ErrorCode::MethodNotFound,
                    format!("unknown method {method}"),
                ),
            )
        }),
        Ok(_) => None,
        Err(payload) => {
            let msg = panic_message(payload.as_ref());
            tracing::error!("{method} panicked: {msg}; the server goes on");
            id.map(|id| {
                Response::from_error(
                    id,
                    error(
                        ErrorCode::InternalError,
                        format!("roster: internal error in {method}: {msg}"),
                    ),
                )
            })
        }
    }
}

#[derive(serde::Serialize)]
#[serde(untagged)]
enum Outgoing {
    Response(Response),
    Request(Request),
}

/// Serves `service` over `input`/`output` until `exit` or the end of input.
pub async fn serve<S>(
    input: impl AsyncRead + Unpin,
    output: impl AsyncWrite + Unpin,
    mut service: S,
    socket: ClientSocket,
) where
    S: Service<Request, Response = Option<Response>, Error = ExitedError> + Send + 'static,
    S::Future: Into<BoxFuture<'static, Result<Option<Response>, ExitedError>>> + Send + 'static,
{
    let (client_requests, mut client_responses) = socket.split();
    let (client_requests, client_abort) = stream::abortable(client_requests);
    let (mut responses_tx, responses_rx) = mpsc::channel::<Response>(0);
    let (mut tasks_tx, tasks_rx) = mpsc::channel::<BoxFuture<'static, Option<Response>>>(QUEUE);

    // Sent when reading stops: `true` after `exit`.
    let (stop_tx, stop_rx) = futures::channel::oneshot::channel::<bool>();
    let work = tasks_rx
        .buffer_unordered(CONCURRENCY)
        .filter_map(future::ready)
        .map(Ok)
        .forward(responses_tx.clone());
    let process_tasks = async move {
        let stop = async move {
            if stop_rx.await != Ok(true) {
                tokio::time::sleep(GRACE).await;
            }
        };
        // Whichever ends first: all work done, or the time to stop.
        future::select(Box::pin(work), Box::pin(stop)).await;
    };

    let print_output = async {
        let mut output = output;
        let mut messages = stream_select!(
            responses_rx.map(Outgoing::Response),
            client_requests.map(Outgoing::Request)
        );
        let mut broken = false;
        while let Some(msg) = messages.next().await {
            if broken {
                continue; // keep draining so senders never block
            }
            let body = match serde_json::to_vec(&msg) {
                Ok(b) => b,
                Err(e) => {
                    tracing::error!("cannot encode a message: {e}");
                    continue;
                }
            };
            // One write a message: tokio's stdout hands each write to a
            // blocking thread and waits for it before the next.
            let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
            frame.extend_from_slice(&body);
            let written = async {
                output.write_all(&frame).await?;
                output.flush().await
            };
            if let Err(e) = written.await {
                tracing::error!("cannot write to the client: {e}");
                broken = true;
            }
        }
    };

    let read_input = async {
        let mut reader = tokio::io::BufReader::new(input);
        let mut exited = false;
        loop {
            let body = match read_frame(&mut reader).await {
                Ok(Frame::Body(b)) => b,
                Ok(Frame::Bad(why)) => {
                    tracing::warn!("unreadable message: {why}");
                    let e = error(ErrorCode::ParseError, why);
                    let _ = responses_tx.send(Response::from_error(Id::Null, e)).await;
                    continue;
                }
                Ok(Frame::Eof) => break,
                Err(e) => {
                    tracing::error!("cannot read from the client: {e}");
                    break;
                }
            };
            match decode(&body) {
                Err(response) => {
                    tracing::warn!("malformed message: {:?}", response.error());
                    let _ = responses_tx.send(response).await;
                }
                Ok(Incoming::Response(response)) => {
                    if client_responses.send(response).await.is_err() {
                        tracing::error!("cannot route a response from the client");
                    }
                }
                Ok(Incoming::Request(req)) => {
                    if future::poll_fn(|cx| service.poll_ready(cx)).await.is_err() {
                        break; // the service has exited
                    }
                    let will_exit = req.method() == "exit";
                    let id = req.id().cloned();
                    let method = req.method().to_string();
                    let fut = service.call(req).into();
                    if method == "shutdown" {
                        if let Some(response) = guarded(fut, id, method).await {
                            let _ = responses_tx.send(response).await;
                        }
                        continue;
                    }
                    let _ = tasks_tx.send(guarded(fut, id, method).boxed()).await;
                    if will_exit {
                        // Some clients never close stdin: do not wait for it.
                        exited = true;
                        break;
                    }
                }
            }
        }
        tasks_tx.disconnect();
        responses_tx.disconnect();
        client_abort.abort();
        let _ = stop_tx.send(exited);
    };

    join!(process_tasks.map(|_| ()), print_output, read_input);
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8]) -> Vec<String> {
        let mut r = tokio::io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut r).await.unwrap() {
                Frame::Body(b) => out.push(String::from_utf8_lossy(&b).into_owned()),
                Frame::Bad(why) => out.push(format!("bad: {why}")),
                Frame::Eof => return out,
            }
        }
    }

    #[tokio::test]
    async fn framing_recovers_from_garbage() {
        let input = b"Content-Length: 2\r\n\r\n{}\
            garbage\r\n\r\n\
            junk Content-Length: 3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1]\
            Content-Length: x\r\n\r\n\
            \r\ncontent-length:4\r\n\r\nnull\
            Content-Length: 10\r\n\r\nshort";
        assert_eq!(
            frames(input).await,
            [
                "{}",
                "bad: missing Content-Length header",
                "[1]",
                "bad: bad Content-Length \"x\": invalid digit found in string",
                "null",
            ]
        );
    }

    #[test]
    fn bodies_are_decoded_or_answered() {
        let code = |body: &str| match decode(body.as_bytes()) {
            Ok(Incoming::Request(_)) => "request".to_string(),
            Ok(Incoming::Response(_)) => "response".to_string(),
            Err(r) => format!("{:?} {}", r.error().unwrap().code, r.id()),
        };
        assert_eq!(code(r#"{"jsonrpc":"2.0","id":1,"method":"x"}"#), "request");
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":1,"result":null}"#),
            "response"
        );
        assert_eq!(code("{not json"), "ParseError null");
        assert_eq!(code("\u{0}\u{1}"), "ParseError null");
        assert_eq!(code("[1, 2]"), "InvalidRequest null");
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":7,"method":42}"#),
            "InvalidRequest 7"
        );
        assert_eq!(
            code(r#"{"jsonrpc":"1.0","id":"a","method":"x"}"#),
            "InvalidRequest \"a\""
        );
        assert_eq!(code(r#"{"id":3}"#), "InvalidRequest 3");
    }
}
