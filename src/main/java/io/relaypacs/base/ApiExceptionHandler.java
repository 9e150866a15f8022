package io.relaypacs.base;

import io.relaypacs.language.Translations;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every API error leaves as an RFC 9457 problem detail whose {@code detail} a clinic user can act on. */
@RestControllerAdvice(basePackages = "io.relaypacs")
class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private final Translations translations;

    ApiExceptionHandler(Translations translations) {
        this.translations = translations;
    }

    /** Details are made in English; the reader gets them in the language their request asks for. */
    private String said(String english) {
        return translations.fromEnglish(english, LocaleContextHolder.getLocale());
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), said(problem.getMessage()));
        problem.properties().forEach(body::setProperty);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status());
        if (problem.retryAfterSeconds() != null) {
            response.header("Retry-After", String.valueOf(problem.retryAfterSeconds()));
        }
        return response.body(body);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e) {
        return plain(HttpStatus.BAD_REQUEST, "The value of '" + e.getName() + "' is not valid.");
    }

    /** The client went away mid-request (reload, lost network): nobody to answer, nothing to report. */
    @ExceptionHandler(ClientAbortException.class)
    void clientGone(Exception e) {
        log.debug("Client went away: {}", e.toString());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error in the API", e);
        return plain(HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong on the server. Nothing you sent was lost; please try again in a moment.");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                said("The request could not be read: it is not valid JSON or a field has the wrong type.")));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                said("The request is missing the '" + ex.getParameterName() + "' parameter.")));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String detail = ex.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + " " + f.getDefaultMessage()).findFirst().orElse("The request is not valid.");
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, said(detail)));
    }

    private ResponseEntity<ProblemDetail> plain(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, said(detail)));
    }
}
