package io.relaypacs.ui;

import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.html.Div;

/** Uploads begun in each of the last 24 hours as bars, with the figures said in words for screen readers. */
class HourlyChart extends Composite<Div> {

    HourlyChart() {
        getContent().addClassName("hour-chart");
        getContent().getElement().setAttribute("role", "img");
    }

    void show(long[] perHour) {
        Div chart = getContent();
        chart.removeAll();
        long max = 1;
        long total = 0;
        for (long n : perHour) {
            max = Math.max(max, n);
            total += n;
        }
        for (int i = 0; i < perHour.length; i++) {
            Div bar = new Div();
            bar.addClassName("bar");
            bar.getStyle().set("height", Math.max(2, perHour[i] * 100 / max) + "%");
            bar.getElement().setAttribute("title", getTranslation("chart.bar", perHour[i], perHour.length - 1 - i));
            chart.add(bar);
        }
        chart.getElement().setAttribute("aria-label", getTranslation("chart.label", total, max));
    }
}
