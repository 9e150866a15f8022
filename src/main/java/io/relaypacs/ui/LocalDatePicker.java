package io.relaypacs.ui;

import com.vaadin.flow.component.datepicker.DatePicker;

import java.time.DayOfWeek;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

/** A date picker whose calendar speaks the screen's language: month and day names, its buttons. */
class LocalDatePicker extends DatePicker {

    LocalDatePicker(String label) {
        super(label);
        Locale language = getLocale();
        setLocale(language);
        // the calendar lists Sunday first, as java.time numbers from Monday
        Stream<DayOfWeek> week = Stream.concat(Stream.of(DayOfWeek.SUNDAY), Arrays.stream(DayOfWeek.values()).limit(6));
        var days = week.toList();
        setI18n(new DatePickerI18n()
                .setMonthNames(Arrays.stream(Month.values()).map(m -> m.getDisplayName(TextStyle.FULL_STANDALONE, language)).toList())
                .setWeekdays(days.stream().map(d -> d.getDisplayName(TextStyle.FULL_STANDALONE, language)).toList())
                .setWeekdaysShort(days.stream().map(d -> d.getDisplayName(TextStyle.SHORT_STANDALONE, language)).toList())
                // weeks start on Monday (ISO 8601): the languages are known here, not the clinics' countries
                .setFirstDayOfWeek(1)
                .setToday(getTranslation("date.today"))
                .setCancel(getTranslation("date.cancel"))
                .setBadInputErrorMessage(getTranslation("date.bad")));
    }
}
