package io.relaypacs.ui;

import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import io.relaypacs.forward.DestinationForm;
import io.relaypacs.forward.DestinationService;
import io.relaypacs.forward.ForwardService;

import java.time.Instant;
import java.util.function.Consumer;

import static io.relaypacs.ui.UiTranslations.t;

/** Each destination in words (in use, not answering until when), with a connection check. */
class DestinationStates extends Composite<UnorderedList> {
    private final DestinationService destinations;
    private final ForwardService forward;
    private final Consumer<String> say;

    DestinationStates(DestinationService destinations, ForwardService forward, Consumer<String> say) {
        this.destinations = destinations;
        this.forward = forward;
        this.say = say;
    }

    void refresh() {
        UnorderedList list = getContent();
        list.removeAll();
        for (DestinationForm d : destinations.list()) {
            Instant resting = d.enabled() ? forward.restingUntil(d.id()) : null;
            String state = !d.enabled() ? t("destination.state.off")
                    : resting != null ? t("destination.state.resting", DashboardFigures.time(resting)) : t("destination.state.on");
            Button check = new Button(t("destination.check"), e -> say.accept(UiTranslations.fromServer(destinations.check(d.id()).message())));
            check.addThemeVariants(ButtonVariant.LUMO_SMALL);
            list.add(new ListItem(new Span(t("destination.line", d.name(), t("destination.kind." + d.kind().name()), state)), check));
        }
        if (list.getChildren().findAny().isEmpty()) {
            list.add(new ListItem(t("destination.none")));
        }
    }
}
