package io.relaypacs.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.select.Select;
import io.relaypacs.forward.DestinationForm;
import io.relaypacs.forward.DestinationService;
import io.relaypacs.forward.ForwardService;
import io.relaypacs.forward.StudyWebhooks;
import io.relaypacs.upload.UploadDashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static io.relaypacs.ui.UiTranslations.t;

/**
 * What needs the operator: uploads not finished after the alert threshold (before the purge deletes them),
 * failures with their reasons and a way to send them again, to the clinic's route or to another destination, and
 * studies the reading side's webhook never took.
 */
class NeedsAttention {
    private final UploadDashboard dashboard;
    private final DestinationService destinations;
    private final ForwardService forward;
    private final Duration stuckAfter;
    private final Duration maxAge;
    private final Consumer<String> say;
    private final Runnable changed;
    private final UnorderedList stuck = list();
    private final UnorderedList failures = list();

    private final StudyWebhooks webhooks;

    NeedsAttention(UploadDashboard dashboard, DestinationService destinations, ForwardService forward, StudyWebhooks webhooks,
                   Duration stuckAfter, Duration maxAge, Consumer<String> say, Runnable changed) {
        this.webhooks = webhooks;
        this.dashboard = dashboard;
        this.destinations = destinations;
        this.forward = forward;
        this.stuckAfter = stuckAfter;
        this.maxAge = maxAge;
        this.say = say;
        this.changed = changed;
    }

    void refresh() {
        stuck.removeAll();
        for (UploadDashboard.Stuck u : dashboard.stuck(stuckAfter, maxAge)) {
            ListItem item = new ListItem(new Span(t("attention.stuck", UploadGridFormat.age(Duration.between(u.startedAt(), Instant.now())),
                    u.clinic(), DashboardFigures.label(u.state()), DashboardFigures.time(u.deletedAt()))));
            item.getElement().setAttribute("data-upload", u.uploadId().toString());
            stuck.add(item);
        }
        failures.removeAll();
        Map<Long, String> clinics = dashboard.clinicNames();
        List<DestinationForm> targets = destinations.list();
        for (ForwardService.Failure f : forward.recentFailures()) {
            ListItem item = new ListItem(new Span((f.clinicId() == null ? "" : clinics.getOrDefault(f.clinicId(), "?") + ": ")
                    + UiTranslations.fromServer(f.reason())));
            item.getElement().setAttribute("data-upload", f.uploadId().toString());
            if (f.canSendAgain()) {
                Select<Optional<DestinationForm>> to = new Select<>();
                List<Optional<DestinationForm>> choices = new ArrayList<>();
                choices.add(Optional.empty());
                targets.stream().filter(DestinationForm::enabled).forEach(d -> choices.add(Optional.of(d)));
                to.setItems(choices);
                to.setItemLabelGenerator(d -> d.map(DestinationForm::name).orElse(t("attention.clinicRoute")));
                to.setValue(Optional.empty());
                to.setAriaLabel(t("attention.sendTo"));
                Button again = new Button(t("attention.sendAgain"), e -> sendAgain(f, to.getValue()));
                again.addThemeVariants(ButtonVariant.LUMO_SMALL);
                item.add(to, again);
            }
            failures.add(item);
        }
        for (StudyWebhooks.Failed w : webhooks.failures()) {
            ListItem item = new ListItem(new Span((w.clinicId() == null ? "" : clinics.getOrDefault(w.clinicId(), "?") + ": ")
                    + t("attention.webhook", w.destination(), DashboardFigures.time(w.deliveredAt()), UiTranslations.fromServer(w.error()))));
            item.addClassName("webhook-failure");
            failures.add(item);
        }
        if (stuck.getChildren().findAny().isEmpty() && failures.getChildren().findAny().isEmpty()) {
            stuck.add(new ListItem(t("attention.nothing")));
        }
    }

    void sendAgain(ForwardService.Failure failure, Optional<DestinationForm> to) {
        int queued = dashboard.sendAgain(failure.uploadId(), to == null ? null : to.map(DestinationForm::id).orElse(null));
        say.accept(queued == 0 ? t("attention.gone") : to.map(d -> t("attention.queuedFor", queued, d.name()))
                .orElseGet(() -> t("attention.queued", queued)));
        changed.run();
    }

    UnorderedList stuck() {
        return stuck;
    }

    UnorderedList failures() {
        return failures;
    }

    private static UnorderedList list() {
        UnorderedList list = new UnorderedList();
        list.addClassName("alerts");
        return list;
    }
}
