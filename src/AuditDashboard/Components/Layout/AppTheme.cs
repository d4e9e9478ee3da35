namespace AuditDashboard.Components.Layout;

/// <summary>A calm, dense theme for long working sessions; system fonts, since the dashboard loads nothing from outside.</summary>
public static class AppTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5f8b",
            Secondary = "#6d4c9f",
            AppbarBackground = "#16324f",
            Background = "#f5f7fa",
            DrawerBackground = "#ffffff",
            TableStriped = "rgba(0,0,0,0.025)",

            // Darker than MudBlazor's defaults, so status text (a status chip's text on its own tint, or white on it) reads at
            // WCAG AA's 4.5:1: the default green reached 2.0:1.
            Success = "#1b6e35",
            Info = "#1565c0",
            Warning = "#9a4d00",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6fb3e6",
            Secondary = "#b39ddb",
            AppbarBackground = "#101a26",
            Background = "#121821",
            Surface = "#1a2230",
            DrawerBackground = "#161e2a",

            // MudBlazor's dark stripe is a light grey on which the links and chips lose their contrast.
            TableStriped = "rgba(255,255,255,0.03)",

            // Lighter than the defaults for the same reason: status text on a dark surface.
            Success = "#81c784",
            Info = "#64b5f6",
            Warning = "#ffb74d",
            Error = "#ef9a9a",

            // These colours are light: text on a filled button or chip of them is dark, or it would read at about 2:1.
            PrimaryContrastText = "#0b1620",
            SecondaryContrastText = "#0b1620",
            SuccessContrastText = "#0b1620",
            InfoContrastText = "#0b1620",
            WarningContrastText = "#0b1620",
            ErrorContrastText = "#0b1620",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
