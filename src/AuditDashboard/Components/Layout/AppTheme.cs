using MudBlazor;

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
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6fb3e6",
            Secondary = "#b39ddb",
            AppbarBackground = "#101a26",
            Background = "#121821",
            Surface = "#1a2230",
            DrawerBackground = "#161e2a",
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
