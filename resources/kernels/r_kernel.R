# SPDX-License-Identifier: GPL-3.0-or-later
# AgentBay Playground R kernel driver.
#
# Runs inside the sandbox, one process per session, under Rscript. Reads one JSON request per
# line on stdin ({"id", "code", "maxOutput"}) and answers with frames on stdout, each line
# starting with the record separator \x1e: "stream" frames carry a top-level expression's output
# once it has run, a "done" frame ends each run. State lives in the global environment across
# runs. As at R's prompt, each visible value is printed; the last one is the run's main result.
# Messages and warnings go to stderr, errors end the run with R's own wording.
if (!requireNamespace("jsonlite", quietly = TRUE)) {
    cat("the R kernel needs the jsonlite package: install Debian's r-cran-jsonlite\n",
        file = stderr())
    quit(status = 3)
}
suppressPackageStartupMessages(library(jsonlite))

.agentbay <- new.env()
.agentbay$count <- 0L
.agentbay$frames <- file("stdin")
.agentbay$out <- stdout()

.agentbay$send <- function(frame) {
    text <- toJSON(frame, auto_unbox = TRUE, null = "null", digits = NA)
    cat("\036", text, "\n", file = .agentbay$out, sep = "")
    flush(.agentbay$out)
}

# Output of one run, within its budget of characters; the rest is counted as dropped.
.agentbay$emit <- function(id, name, text) {
    if (!nzchar(text))
        return(invisible())
    room <- .agentbay$budget
    if (room <= 0) {
        .agentbay$dropped <- .agentbay$dropped + nchar(text)
        return(invisible())
    }
    if (nchar(text) > room) {
        .agentbay$dropped <- .agentbay$dropped + nchar(text) - room
        text <- substr(text, 1, room)
    }
    .agentbay$budget <- room - nchar(text)
    .agentbay$send(list(type = "stream", id = id, name = name, text = text))
}

# As R's prompt words them: "Error in f() : boom", "Warning message:\nIn f() : boom".
.agentbay$callOf <- function(condition) {
    call <- conditionCall(condition)
    if (is.null(call))
        return(NULL)
    text <- paste(deparse(call, nlines = 1), collapse = "")
    # Raised at the top level of the code: the call is the driver's own eval, which R's prompt
    # would not show.
    if (startsWith(text, "eval(expression, envir = globalenv())")) NULL else text
}

.agentbay$errorText <- function(e) {
    call <- .agentbay$callOf(e)
    paste0(if (is.null(call)) "Error: " else paste0("Error in ", call, " : "), conditionMessage(e),
           "\n")
}

.agentbay$warningText <- function(w) {
    call <- .agentbay$callOf(w)
    paste0("Warning message:\n", if (is.null(call)) "" else paste0("In ", call, " : "),
           conditionMessage(w), "\n")
}

.agentbay$execute <- function(request) {
    id <- request$id
    started <- proc.time()[["elapsed"]]
    .agentbay$count <- .agentbay$count + 1L
    .agentbay$budget <- if (is.null(request$maxOutput)) 8388608 else request$maxOutput
    .agentbay$dropped <- 0
    results <- list()
    # What an expression prints goes to a file, read back byte for byte once it has run.
    captureFile <- tempfile("agentbay-output-")
    run <- function(expression, last) {
        capture <- file(captureFile, open = "w", encoding = "UTF-8")
        sink(capture)
        on.exit({
            sink()
            close(capture)
        })
        visible <- withCallingHandlers(
            withVisible(eval(expression, envir = globalenv())),
            warning = function(w) {
                .agentbay$emit(id, "stderr", .agentbay$warningText(w))
                invokeRestart("muffleWarning")
            },
            message = function(m) {
                .agentbay$emit(id, "stderr", conditionMessage(m))
                invokeRestart("muffleMessage")
            })
        if (visible$visible) {
            if (last) {
                text <- paste(capture.output(print(visible$value)), collapse = "\n")
                results[[length(results) + 1]] <<- list(`text/plain` = text, isMainResult = TRUE)
            } else {
                print(visible$value)
            }
        }
    }
    flushOutput <- function() {
        size <- file.size(captureFile)
        if (!is.na(size) && size > 0) {
            text <- readChar(captureFile, size, useBytes = TRUE)
            Encoding(text) <- "UTF-8"
            .agentbay$emit(id, "stdout", text)
        }
        unlink(captureFile)
    }
    outcome <- tryCatch({
        expressions <- parse(text = request$code, keep.source = FALSE)
        for (i in seq_along(expressions)) {
            run(expressions[[i]], i == length(expressions))
            flushOutput()
        }
        NULL
    }, error = function(e) {
        flushOutput()
        list(name = "Error", value = conditionMessage(e),
             traceback = .agentbay$errorText(e))
    }, interrupt = function(i) {
        flushOutput()
        list(name = "KeyboardInterrupt", value = "", traceback = "")
    })
    .agentbay$send(list(id = id, type = "done", result = results, error = outcome,
                        executionCount = .agentbay$count,
                        executionTime = round(proc.time()[["elapsed"]] - started, 6),
                        droppedOutput = .agentbay$dropped))
}

.agentbay$send(list(type = "ready", language = "r",
                    version = paste(R.version$major, R.version$minor, sep = "."),
                    executable = file.path(R.home("bin"), "R"), pid = Sys.getpid()))
open(.agentbay$frames)
repeat {
    # An interrupt between runs is ignored; the end of stdin ends the kernel.
    line <- tryCatch(readLines(.agentbay$frames, n = 1, warn = FALSE),
                     interrupt = function(i) NA_character_)
    if (length(line) == 0)
        break
    if (is.na(line))
        next
    request <- tryCatch(fromJSON(line, simplifyVector = FALSE), error = function(e) e)
    if (inherits(request, "error")) {
        .agentbay$send(list(type = "protocol-error", message = conditionMessage(request)))
        next
    }
    .agentbay$execute(request)
}
