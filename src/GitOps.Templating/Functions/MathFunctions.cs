using System.Globalization;

namespace GitOps.Templating.Functions;

/// <summary>Sprig integer and float math and numeric conversions.</summary>
internal static class MathFunctions
{
    public static void Register(IDictionary<string, GoFunction> t, Func<Random> random)
    {
        void Add(string name, string sig, GoFunc f) => t[name] = GoFunction.Of(name, sig, f);
        Add("add1", "a", (_, a) => Conv.ToInt64(a[0]) + 1);
        Add("add", "a*", (_, a) => a.Aggregate(0L, (s, x) => s + Conv.ToInt64(x)));
        Add("sub", "aa", (_, a) => Conv.ToInt64(a[0]) - Conv.ToInt64(a[1]));
        Add("div", "aa", (_, a) => Conv.ToInt64(a[1]) == 0 ? throw new FunctionException("runtime error: integer divide by zero") : Conv.ToInt64(a[0]) / Conv.ToInt64(a[1]));
        Add("mod", "aa", (_, a) => Conv.ToInt64(a[1]) == 0 ? throw new FunctionException("runtime error: integer divide by zero") : Conv.ToInt64(a[0]) % Conv.ToInt64(a[1]));
        Add("mul", "aa*", (_, a) => a.Aggregate(1L, (s, x) => s * Conv.ToInt64(x)));
        Add("max", "aa*", (_, a) => a.Select(Conv.ToInt64).Max());
        Add("biggest", "aa*", (_, a) => a.Select(Conv.ToInt64).Max());
        Add("min", "aa*", (_, a) => a.Select(Conv.ToInt64).Min());
        Add("add1f", "a", (_, a) => Dec(a[0]) + 1m is var r ? (double)r : 0);
        Add("addf", "a*", (_, a) => (double)a.Aggregate(0m, (s, x) => s + Dec(x)));
        Add("subf", "aa*", (_, a) => (double)a.Skip(1).Aggregate(Dec(a[0]), (s, x) => s - Dec(x)));
        Add("mulf", "aa*", (_, a) => (double)a.Skip(1).Aggregate(Dec(a[0]), (s, x) => s * Dec(x)));
        Add("divf", "aa*", (_, a) => DivF(a));
        Add("maxf", "aa*", (_, a) => a.Select(Conv.ToFloat64).Aggregate(Math.Max));
        Add("minf", "aa*", (_, a) => a.Select(Conv.ToFloat64).Aggregate(Math.Min));
        Add("floor", "a", (_, a) => Math.Floor(Conv.ToFloat64(a[0])));
        Add("ceil", "a", (_, a) => Math.Ceiling(Conv.ToFloat64(a[0])));
        Add("round", "ai*", (_, a) => Round(a));
        Add("randInt", "ii", (_, a) => (long)a[1]! - (long)a[0]! <= 0 ? throw new FunctionException("invalid argument to Intn") : random().NextInt64((long)a[0]!, (long)a[1]!));
        Add("int", "a", (_, a) => Conv.ToInt64(a[0]));
        Add("int64", "a", (_, a) => Conv.ToInt64(a[0]));
        Add("float64", "a", (_, a) => Conv.ToFloat64(a[0]));
        Add("atoi", "s", (_, a) => long.TryParse((string)a[0]!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0L);
        Add("toDecimal", "a", (_, a) => ToDecimal(a[0]));
    }

    /// <summary>shopspring/decimal's NewFromFloat: the shortest decimal that round-trips.</summary>
    private static decimal Dec(object? v)
    {
        var d = Conv.ToFloat64(v);
        if (double.IsNaN(d) || double.IsInfinity(d) || Math.Abs(d) > 7.9e27) return (decimal)0;
        return decimal.Parse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static double DivF(object?[] a)
    {
        var r = Dec(a[0]);
        foreach (var x in a.Skip(1))
        {
            var d = Dec(x);
            if (d == 0) throw new FunctionException("decimal division by 0");
            r /= d;
        }
        return (double)r;
    }

    private static double Round(object?[] a)
    {
        var roundOn = a.Length > 2 ? Conv.ToFloat64(a[2]) : 0.5;
        var val = Conv.ToFloat64(a[0]);
        var pow = Math.Pow(10, (long)a[1]!);
        var digit = pow * val;
        var frac = digit - Math.Truncate(digit);
        var r = frac >= roundOn ? Math.Ceiling(digit) : Math.Floor(digit);
        return r / pow;
    }

    private static long ToDecimal(object? v)
    {
        try { return Convert.ToInt64(GoFormat.Value(v), 8); }
        catch (FormatException) { return 0; }
        catch (ArgumentException) { return 0; }
        catch (OverflowException) { return 0; }
    }
}
