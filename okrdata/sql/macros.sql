-- Value coercion shared by the staging models: text in, typed value (or null) out.
-- a cell's text without surrounding spaces, empty as null; most cells start and end in a
-- printable ASCII character and are kept as they are (trim only the others: it is 3x slower)
create or replace macro okr_clean(t) as (
    case
        when t = '' then null
        when ord(t) between 33 and 126 and ord(t[-1]) between 33 and 126 then t
        else nullif(trim(t), '')
    end
);
create or replace macro okr_key(t) as regexp_replace(lower(trim(t)), '[^a-z0-9]+', '', 'g');
-- a title as a key: any case, spacing and punctuation ("Cut CAC by 10 %" = "cut cac by 10%"),
-- letters of every script kept
create or replace macro okr_title_key(t) as regexp_replace(lower(t), '[\s\pP\pS]+', '', 'g');
-- 1.500, -2.000, (1.250.000): digits grouped by points (in a text file with decimal commas a
-- number with a point is never cast directly: okr_number_plain)
create or replace macro okr_points_group(s) as
    regexp_full_match(s, '[-+(]?\d{1,3}(\.\d{3})+\)?[kmb]?');
-- a decimal comma (30,5  1.200,50  1 200,50) becomes a point: a comma that follows thousands
-- grouped by points, or that is followed by other than exactly three digits, or any lone
-- comma in a file whose numbers show a decimal comma; else commas group thousands (1,234) and
-- are dropped. Points group thousands in two groups or more (1.250.000: no decimal point is
-- written so), and in one (1.500 is 1500) where ``comma`` is 2. ``comma``, decided once per
-- file (number_order.sql, staging._date_order): 0 a decimal point, 1 a decimal comma, 2 a
-- decimal comma in a text file (never in a workbook, whose number cells are written with a
-- point; never after a leading 0: 0.125 stays 0.125)
create or replace macro okr_numtext_plain(s, comma) as (
    case
        when regexp_full_match(s, '[-+(]?\d{1,3}(\.\d{3})+,\d+\)?[kmb]?')
          or regexp_full_match(s, '[-+(]?\d+,(\d{1,2}|\d{4,})\)?[kmb]?')
            then replace(replace(s, '.', ''), ',', '.')
        when okr_points_group(s) and (length(s) - length(replace(s, '.', '')) > 1
            or (comma = 2 and ltrim(s, '-+(') not like '0%'))
            then replace(s, '.', '')
        when comma > 0 and regexp_full_match(s, '[-+(]?\d*,\d+\)?[kmb]?') then replace(s, ',', '.')
        else replace(s, ',', '')
    end
);
-- (a macro's argument is copied wherever the macro names it: the lambdas bind the cleaned text
-- once, so DuckDB plans one copy of each pattern rather than dozens). Spaces go as a cast
-- skips them: RE2's \s leaves out the vertical tab, which DuckDB's cast reads as a space.
create or replace macro okr_numtext(t, comma) as
    list_transform([regexp_replace(lower(trim(t)), '[\s\v$€£¥%]', '', 'g')],
        lambda s: regexp_replace(okr_numtext_plain(s, comma), '^\+', ''))[1];
-- 45% -> 45, 1,234 -> 1234, $1,200 -> 1200, 30,5 -> 30.5, 1.5k -> 1500, (12) -> -12; else null
create or replace macro okr_number_any(s) as (
    case
        when regexp_full_match(s, '-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?')
            then try_cast(s as double)
        when regexp_full_match(s, '-?(\d+\.?\d*|\.\d+)[kmb]')
            then try_cast(left(s, -1) as double)
                * case right(s, 1) when 'k' then 1e3 when 'm' then 1e6 else 1e9 end
        when regexp_full_match(s, '\((\d+\.?\d*|\.\d+)\)')
            then -try_cast(trim(s, '()') as double)
    end
);
-- a plain decimal (most cells) is cast directly; only other spellings meet the patterns
-- ('1_000', 'inf' and 'nan' cast but are no number a person writes): okr_number_plain is that
-- first step alone (null for any other text), for a query that types many cells and reads the
-- others with okr_number only when one of them needs it
create or replace macro okr_number_plain(t, comma) as (
    case when not contains(t, '_') and (comma < 2 or not contains(t, '.'))
        and abs(try_cast(t as double)) < 1e15
        then try_cast(t as double) end
);
create or replace macro okr_number(t, comma) as (
    case
        when not contains(t, '_') and (comma < 2 or not contains(t, '.'))
            and abs(try_cast(t as double)) < 1e15 then try_cast(t as double)
        else list_transform([okr_numtext(t, comma)], lambda s: list_transform(
            [okr_number_any(s)], lambda v: case when abs(v) < 1e15 then v end)[1])[1]
    end
);
-- a count of how many: '3/5', '60 of 100', '3 out of 5' -> its i-th number (1: done, 2: of how
-- many); else null (asked only of cells that are no number)
create or replace macro okr_fraction(t, i) as (
    case when regexp_full_match(lower(trim(t)), '\d+(\.\d+)?\s*(/|of|out of)\s*\d+(\.\d+)?')
        then try_cast(regexp_extract(lower(trim(t)),
            '^(\d+(?:\.\d+)?)\s*(?:/|of|out of)\s*(\d+(?:\.\d+)?)$', i) as double)
    end
);
-- a person written as a mail client writes them ('Ada Moreau <ada@example.com>', '"Moreau, Ada"
-- <ada@example.com>') is the name; a bare '<ada@example.com>' the address; others as written
-- (only text holding both '<' and '@' meets the pattern)
create or replace macro okr_person(t) as (
    case
        when contains(t, '<') and contains(t, '@')
            and regexp_full_match(trim(t), '[^<>]*<[^<>@\s]+@[^<>\s]+>')
            then coalesce(
                nullif(trim(regexp_extract(trim(t), '^([^<]*)<', 1), ' "'), ''),
                regexp_extract(t, '<([^>]+)>', 1))
        else t
    end
);
-- why a text is not a usable number (for the report); the lambda binds the number's text
-- once (named in okr_number_any's every pattern, it was planned six times over)
create or replace macro okr_number_problem(t) as (
    '''' || trim(t) || ''' ' || case
        when list_transform([okr_numtext(t, 0)], lambda s: okr_number_any(s))[1] is not null
            then 'is too large to be a value (over 10^15).'
        else 'is not a number.'
    end
);
-- ISO and unambiguous forms first, also after a weekday (Mon, 06 Apr 2026; Monday, April 6,
-- 2026); a timestamp (time, fractions, zone: 2023-12-11 19:41:43.3 UTC) counts as its day;
-- d/m/y or m/d/y by the file's detected order; an Excel serial day number (46218, 46218.5: days
-- since 1899-12-30, as a date cell saved to CSV without its format shows) from 1990 to 2099
create or replace macro okr_date_any(t, dayfirst) as (
    coalesce(
        try_strptime(trim(t), [
            '%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%d %b %Y', '%d %B %Y', '%d-%b-%Y',
            '%b %d %Y', '%B %d %Y', '%b %d, %Y', '%B %d, %Y', '%a %d %b %Y',
            '%a, %d %b %Y', '%A, %d %B %Y', '%a, %b %d, %Y', '%A, %B %d, %Y'
        ]),
        -- an ISO week (a weekly tab's Week: 2026-W38 is its Monday, 2026-W38-2 its Tuesday),
        -- of its own year (2027-W53 does not exist: strptime would give 2028's first week)
        case when regexp_full_match(trim(t), '\d{4}-?W\d{2}(-\d)?')
            then list_transform([try_strptime(trim(t), ['%G-W%V', '%G-W%V-%u', '%GW%V'])],
                lambda d: case when isoyear(d) = left(trim(t), 4)::integer then d end)[1] end,
        case when regexp_full_match(trim(t), '\d{5}(\.\d+)?')
                and try_cast(trim(t) as double) between 32874 and 73050
            then date '1899-12-30' + floor(try_cast(trim(t) as double))::integer end,
        case when regexp_matches(trim(t), '^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}')
            then try_strptime(left(trim(t), 10), '%Y-%m-%d') end,
        -- a written date with a time after it (20 Jul 2026 14:03, Jul 20, 2026 2:03 PM)
        case when regexp_matches(t, '[a-zA-Z]{3}.*\d:\d{2}')
            then try_strptime(regexp_replace(trim(t),
                '[ ,T]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([ap]\.?m\.?)?\s*([a-z]{1,4}|[+-]\d{2}:?\d{2})?$',
                '', 'i'), ['%d %b %Y', '%d %B %Y', '%d-%b-%Y', '%b %d %Y', '%B %d %Y', '%b %d, %Y',
                '%B %d, %Y', '%a %d %b %Y', '%a, %d %b %Y', '%A, %d %B %Y', '%a, %b %d, %Y',
                '%A, %B %d, %Y']) end,
        case
            when dayfirst then try_strptime(split_part(trim(t), ' ', 1), ['%d/%m/%Y', '%d.%m.%Y', '%d-%m-%Y'])
            else try_strptime(split_part(trim(t), ' ', 1), ['%m/%d/%Y', '%d.%m.%Y', '%m-%d-%Y'])
        end
    )::date
);
-- the quarter of a date (fiscal year from month m) as an index and as a label
create or replace macro okr_qidx(d, m) as floor((year(d) * 12 + month(d) - m) / 3)::integer;
create or replace macro okr_qlabel(i) as
    lpad((i // 4)::varchar, 4, '0') || '-Q' || (i % 4 + 1)::varchar;
-- the quarters from one date to another (at most 8; a longer span is not a period)
create or replace macro okr_quarters_between(d1, d2, m) as (
    case when okr_qidx(coalesce(d2, d1), m) - okr_qidx(coalesce(d1, d2), m) between 0 and 7
        then list_transform(
            range(okr_qidx(coalesce(d1, d2), m), okr_qidx(coalesce(d2, d1), m) + 1),
            lambda i: okr_qlabel(i))
    end
);
-- 2026-Q3, Q3 2026, 2026 Q3, Q3-2026, 2026Q3, FY2026 Q3 -> '2026-Q3'
create or replace macro okr_quarter(t) as (
    case
        when regexp_full_match(upper(trim(t)), '(FY)?\s*\d{4}\s*[-_/ ]?\s*Q[1-4]')
          or regexp_full_match(upper(trim(t)), 'Q[1-4]\s*[-_/ ]?\s*(FY)?\s*\d{4}')
            then regexp_extract(upper(trim(t)), '(\d{4})', 1)
                || '-Q' || regexp_extract(upper(trim(t)), 'Q([1-4])', 1)
    end
);
-- first and last day of a quarter label, for a fiscal year starting in month m
create or replace macro okr_quarter_start(q, m) as (
    make_date(cast(left(q, 4) as integer), m, 1)
        + to_months(3 * (cast(right(q, 1) as integer) - 1))
)::date;
create or replace macro okr_quarter_end(q, m) as
    (okr_quarter_start(q, m) + interval 3 month - interval 1 day)::date;
-- dates a person could mean: 1990 to 2200 (others are reported and left out)
create or replace macro okr_plausible(d) as (case when year(d) between 1990 and 2200 then d end);
create or replace macro okr_date(t, dayfirst) as
    list_transform([okr_date_any(t, dayfirst)], lambda d: okr_plausible(d))[1];
-- ticks and crosses, traffic-light emoji: what a cell says when it is not a word
create or replace macro okr_mark(t) as (
    case
        when regexp_matches(trim(t), '^(✓|✔|☑|✅)') then 'done'
        when regexp_matches(trim(t), '^(✗|✘|❌|☐)') then 'not_done'
    end
);
create or replace macro okr_emoji_status(t) as (
    case
        when contains(t, '🟢') or contains(t, '✅') or contains(t, '✔') then 'on_track'
        when contains(t, '🟡') or contains(t, '🟠') or contains(t, '⚠') then 'at_risk'
        when contains(t, '🔴') or contains(t, '❌') or contains(t, '⛔') or contains(t, '🛑')
            then 'off_track'
    end
);
-- a cell that is words, not a number gone wrong: two letters in a row, and no spreadsheet error
-- (#N/A, #VALUE!) or spelling of not-a-number or infinity
create or replace macro okr_is_text(t) as (
    coalesce(regexp_matches(t, '[[:alpha:]]{2}') and not starts_with(trim(t), '#')
        and lower(regexp_replace(trim(t), '^[-+]', '')) not in ('nan', 'inf', 'infinity'), false)
);
-- a confidence said in words or colours, on 0-1
-- (the lambdas bind the text's key and its two numbers once each: named in every test, they
-- were planned three and four times over)
create or replace macro okr_confidence_word(t) as
    list_transform([okr_key(t)], lambda k: case
        when contains(t, '🟢') or contains(t, '✅') or contains(t, '✔')
            or k in ('high', 'hi', 'green', 'confident', 'veryhigh', 'ontrack') then 0.9
        when contains(t, '🟡') or contains(t, '🟠') or contains(t, '⚠')
            or k in ('medium', 'med', 'mid', 'moderate', 'amber', 'yellow', 'atrisk') then 0.5
        when contains(t, '🔴') or contains(t, '❌')
            or k in ('low', 'lo', 'red', 'verylow', 'offtrack') then 0.2
        -- a score out of five or ten (7/10, 4/5)
        else list_transform([[okr_fraction(t, 1), okr_fraction(t, 2)]], lambda f: case
            when f[2] in (5, 10) and f[1] <= f[2] then f[1] / f[2] end)[1]
    end)[1];
-- where a row another message points at is, when it is in another source than the row the
-- message is about: ' of okrs.csv' ('first on row 2 of okrs.csv'), else nothing (the sources'
-- names are filled in by staging._source_names)
create or replace table source_names (_sid integer, name varchar);
create or replace macro okr_of_source(sid, here) as (
    case when sid is distinct from here
        then ' of ' || coalesce((select n.name from source_names as n where n._sid = sid),
                                'another file')
        else '' end
);
