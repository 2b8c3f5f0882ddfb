package dev.mnemo.calcite;

/**
 * Time strings as {@code CAST(… AS TIME)} reads them, checked first. Calcite reads them with Avatica's
 * {@code DateTimeUtils.timeStringToUnixDate}, which takes any numbers: {@code '25:99:99'} became 26:40:39 and
 * {@code '12:60:00'} 13:00:00. Mnemo's plans call {@link #check} on the string before the cast (see
 * {@link NtileRewrite}), so such a string fails with SQLState 22007 instead. Public, as generated code calls it.
 */
public final class TimeStrings {
    private TimeStrings() {
    }

    /**
     * {@code v} itself if it is a time of day in one of the shapes Calcite reads ({@code H}, {@code H:M},
     * {@code H:M:S}, {@code H:M:S.fraction}, spaces around the numbers allowed), with hours 0–23, minutes and seconds
     * 0–59; null for null.
     *
     * @throws IllegalArgumentException "Invalid TIME value, 'v'" otherwise
     */
    public static String check(String v) {
        if (v == null) {
            return null;
        }
        String[] hms = v.split(":", -1);
        if (hms.length > 3) {
            throw invalid(v);
        }
        String seconds = hms.length == 3 ? hms[2] : "0";
        int dot = seconds.indexOf('.');
        if (dot >= 0 && !seconds.substring(dot + 1).trim().chars().allMatch(Character::isDigit)) {
            throw invalid(v);
        }
        int hour = field(hms[0], v);
        int minute = hms.length > 1 ? field(hms[1], v) : 0;
        int second = field(dot < 0 ? seconds : seconds.substring(0, dot), v);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            throw invalid(v);
        }
        return v;
    }

    private static int field(String text, String v) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(v);
        }
    }

    private static IllegalArgumentException invalid(String v) {
        return new IllegalArgumentException("Invalid TIME value, '" + v + "': expected hours 0-23, minutes and "
                + "seconds 0-59 as H:M:S[.fraction]");
    }
}
