import { App as AntApp, ConfigProvider, Spin, type ThemeConfig } from "antd";
import { lazy, Suspense, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { nonce } from "./csp";
import { AuthProvider, useAuth } from "./auth/AuthContext";
import { antdLocale } from "./i18n";
import { Login } from "./pages/Login";
import { homeOf } from "./roles";

// The sign-in page loads none of this: the shell with its menu and every screen come when signed in.
const Shell = lazy(() => import("./layout/Shell"));
const Today = lazy(() => import("./pages/sales/Today"));
const Leads = lazy(() => import("./pages/sales/Leads"));
const LeadPage = lazy(() => import("./pages/sales/LeadPage"));
const Customer360 = lazy(() => import("./pages/Customer360"));
const RepairOrders = lazy(() => import("./pages/service/RepairOrders"));
const RepairOrderPage = lazy(() => import("./pages/service/RepairOrderPage"));
const StockReport = lazy(() => import("./pages/sales/StockReport"));
const Complaints = lazy(() => import("./pages/service/Complaints"));
const Customers = lazy(() => import("./pages/sales/Customers"));
const TestDrives = lazy(() => import("./pages/sales/TestDrives"));
const QuoteApprovals = lazy(() => import("./pages/sales/QuoteApprovals"));
const Funnel = lazy(() => import("./pages/sales/Funnel"));
const Appointments = lazy(() => import("./pages/service/Appointments"));
const FollowUps = lazy(() => import("./pages/service/FollowUps"));
const Stock = lazy(() => import("./pages/parts/Stock"));
const Renewals = lazy(() => import("./pages/insurance/Renewals"));
const Budget = lazy(() => import("./pages/marketing/Budget"));
const PayrollRuns = lazy(() => import("./pages/office/PayrollRuns"));
const Dashboard = lazy(() => import("./pages/admin/Dashboard"));
const ApiKeys = lazy(() => import("./pages/admin/ApiKeys"));
const Users = lazy(() => import("./pages/admin/Users"));
const Audit = lazy(() => import("./pages/admin/Audit"));
const Workshop = lazy(() => import("./pages/service/Workshop"));
const Claims = lazy(() => import("./pages/service/Claims"));
const Loans = lazy(() => import("./pages/finance/Loans"));
const Plates = lazy(() => import("./pages/finance/Plates"));
const VehicleHistory = lazy(() => import("./pages/service/VehicleHistory"));
const Staff = lazy(() => import("./pages/office/Staff"));
const MonthInputs = lazy(() => import("./pages/office/MonthInputs"));
const Welcome = lazy(() => import("./pages/Welcome"));
const NotFound = lazy(() => import("./pages/NotFound"));

/** Ant Design's defaults with the text and link colours raised to WCAG AA contrast (4.5:1). */
const THEME: ThemeConfig = {
  token: {
    colorPrimary: "#1668dc",
    colorLink: "#0b57d0",
    colorError: "#c9252d",
    colorWarning: "#ad6800",
    colorSuccess: "#237804",
    colorTextSecondary: "rgba(0, 0, 0, 0.68)",
    colorTextTertiary: "rgba(0, 0, 0, 0.62)",
    colorTextDescription: "rgba(0, 0, 0, 0.62)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.55)",
  },
  components: {
    // An empty table says so in disabled grey (4.5:1 is not met by 25 % black); the words are
    // content, not a disabled control.
    Table: { colorTextDisabled: "rgba(0, 0, 0, 0.55)" },
    Empty: { colorTextDisabled: "rgba(0, 0, 0, 0.55)" },
  },
};

function Signed({ children }: { children: ReactNode }) {
  const { me, ready } = useAuth();
  const location = useLocation();
  if (!ready) return <Spin fullscreen />;
  if (me === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <Shell>{children}</Shell>;
}

function Home() {
  const { me, permissions } = useAuth();
  return <Navigate to={homeOf(me?.role ?? "", permissions)} replace />;
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={antdLocale(i18n.language)} csp={{ nonce }} theme={THEME}>
      <AntApp>
          <AuthProvider>
            <BrowserRouter basename="/console">
              <Suspense fallback={<Spin fullscreen />}>
                <Routes>
                  <Route path="/login" element={<Login />} />
                  <Route path="/" element={<Signed><Home /></Signed>} />
                  <Route path="/sales/today" element={<Signed><Today /></Signed>} />
                  <Route path="/sales/leads" element={<Signed><Leads /></Signed>} />
                  <Route path="/sales/leads/:leadId" element={<Signed><LeadPage /></Signed>} />
                  <Route path="/customers/:customerId" element={<Signed><Customer360 /></Signed>} />
                  <Route path="/service/repair-orders" element={<Signed><RepairOrders /></Signed>} />
                  <Route path="/service/repair-orders/:orderId" element={<Signed><RepairOrderPage /></Signed>} />
                  <Route path="/sales/stock" element={<Signed><StockReport /></Signed>} />
                  <Route path="/service/complaints" element={<Signed><Complaints /></Signed>} />
                  <Route path="/sales/customers" element={<Signed><Customers /></Signed>} />
                  <Route path="/sales/test-drives" element={<Signed><TestDrives /></Signed>} />
                  <Route path="/sales/approvals" element={<Signed><QuoteApprovals /></Signed>} />
                  <Route path="/sales/funnel" element={<Signed><Funnel /></Signed>} />
                  <Route path="/service/appointments" element={<Signed><Appointments /></Signed>} />
                  <Route path="/service/follow-ups" element={<Signed><FollowUps /></Signed>} />
                  <Route path="/parts/stock" element={<Signed><Stock /></Signed>} />
                  <Route path="/insurance/renewals" element={<Signed><Renewals /></Signed>} />
                  <Route path="/marketing/budget" element={<Signed><Budget /></Signed>} />
                  <Route path="/office/payroll" element={<Signed><PayrollRuns /></Signed>} />
                  <Route path="/admin/dashboard" element={<Signed><Dashboard /></Signed>} />
                  <Route path="/admin/api-keys" element={<Signed><ApiKeys /></Signed>} />
                  <Route path="/admin/users" element={<Signed><Users /></Signed>} />
                  <Route path="/admin/audit" element={<Signed><Audit /></Signed>} />
                  <Route path="/service/workshop" element={<Signed><Workshop /></Signed>} />
                  <Route path="/service/claims" element={<Signed><Claims /></Signed>} />
                  <Route path="/finance/loans" element={<Signed><Loans /></Signed>} />
                  <Route path="/finance/plates" element={<Signed><Plates /></Signed>} />
                  <Route path="/service/vehicles" element={<Signed><VehicleHistory /></Signed>} />
                  <Route path="/service/vehicles/:vin" element={<Signed><VehicleHistory /></Signed>} />
                  <Route path="/office/staff" element={<Signed><Staff /></Signed>} />
                  <Route path="/office/inputs" element={<Signed><MonthInputs /></Signed>} />
                  <Route path="/welcome" element={<Signed><Welcome /></Signed>} />
                  <Route path="*" element={<Signed><NotFound /></Signed>} />
                </Routes>
              </Suspense>
            </BrowserRouter>
          </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
